"""E-mail notifications: who is told what (recipients, hooks), in which words (messages), and
how it leaves (outbox rows written with the change, sent later by the worker: delivery).

Nothing here runs unless `SECRETARIAT_SMTP_URL` is set: without a mail server, the engine's
actions write no outbox rows and cost no extra statement."""
