-- Templates are printable text, in the database too (issue 14, line 9).
--
-- `cobroctl template add` refuses a control character anywhere in a template
-- file (src/core/template.c): a bare CR in an email subject made every later
-- send of it fail, ESC and BEL in an SMS body reached the handset. Whoever
-- writes the table another way (an administrator in psql) is refused the same:
-- no C0 control but tab and line feed in a body, none at all in a subject,
-- no DEL, no C1 (U+0080 to U+009F).
--
-- NOT VALID: a database that holds such a template already keeps it (the
-- workstation and cobrod refuse to render it), and the upgrade does not stop
-- on it; every row written from now on is checked.
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

ALTER TABLE template
	ADD CONSTRAINT template_body_printable CHECK (body !~ '[\x01-\x08\x0b-\x1f\x7f-\x9f]') NOT VALID,
	ADD CONSTRAINT template_subject_printable CHECK (subject !~ '[\x01-\x1f\x7f-\x9f]') NOT VALID;
