"""Getting lines into the raw topic: a syslog receiver and a file replayer, both batching per gateway."""
