-- Demo rows for the embedded default; run once, as a superuser, after staff.sql.
INSERT INTO project (code, name) VALUES
  ('APOLLO', 'Customer portal'),
  ('HERMES', 'Invoice export'),
  ('ATLAS',  'Data centre move');

INSERT INTO hour (project_id, person, work_date, hours, note) VALUES
  (1, 'alice', current_date - 3, 2.50, 'Billing requirements'),
  (2, 'alice', current_date - 2, 1.00, 'Review export format'),
  (1, 'bob',   current_date - 3, 6.00, 'Login page'),
  (3, 'bob',   current_date - 1, 4.50, 'Rack planning'),
  (1, 'dave',  current_date - 2, 7.00, 'API endpoints'),
  (2, 'dave',  current_date - 1, 3.25, 'CSV writer');
