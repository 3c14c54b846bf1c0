"""Email: an outbox written in the same transaction as what caused each message, sent by a background job
through the SMTP server in SMTP_URL, with retries and backoff. Without SMTP_URL and MAIL_FROM nothing is sent
and no page offers email."""
