-- Run by Flyway as the logged-in person, through Userbound.
CREATE TABLE thing (id int PRIMARY KEY, name text NOT NULL);
INSERT INTO thing VALUES (1, 'first'), (2, 'second');
