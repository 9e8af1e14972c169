"""Agency self-service: "Your listings", operational updates, schedules and proposed changes."""
