-- Demo rows for the embedded default; run once, as a superuser, after finance.sql.
INSERT INTO employee (name, email, department) VALUES
  ('Alice Martin',  'alice@example.com', 'Finance'),
  ('Bob Okafor',    'bob@example.com',   'Engineering'),
  ('Carol Nguyen',  'carol@example.com', 'Finance'),
  ('Dave Schmidt',  'dave@example.com',  'Engineering'),
  ('Erin Rossi',    'erin@example.com',  'Sales');

INSERT INTO customer (name, country) VALUES
  ('Acme Corporation', 'US'),
  ('Globex GmbH',      'DE'),
  ('Initech Ltd',      'GB'),
  ('Umbrella SARL',    'FR');

INSERT INTO invoice (customer_id, amount, issued_on, created_by) VALUES
  (1, 12500.00, current_date - 41, 'alice'),
  (2,  3420.50, current_date - 33, 'alice'),
  (3,   980.00, current_date - 20, 'alice'),
  (1,  7300.00, current_date - 12, 'alice'),
  (4, 15999.99, current_date - 5,  'alice');
