CREATE TABLE meta (
	"key" VARCHAR NOT NULL, 
	value VARCHAR NOT NULL, 
	PRIMARY KEY ("key")
);
CREATE TABLE "plan" (
	id INTEGER NOT NULL, 
	kind VARCHAR NOT NULL, 
	title VARCHAR NOT NULL, 
	issuer VARCHAR, 
	year INTEGER NOT NULL, 
	date_written VARCHAR, 
	source_name VARCHAR NOT NULL, 
	source_sha256 VARCHAR NOT NULL, 
	imported_at DATETIME NOT NULL, 
	version INTEGER NOT NULL, 
	PRIMARY KEY (id)
);
CREATE TABLE owner (
	id INTEGER NOT NULL, 
	name VARCHAR NOT NULL, 
	email VARCHAR, 
	PRIMARY KEY (id), 
	UNIQUE (name)
);
CREATE TABLE calendaroverride (
	id INTEGER NOT NULL, 
	day DATE NOT NULL, 
	kind VARCHAR NOT NULL, 
	name VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (day)
);
CREATE TABLE auditentry (
	id INTEGER NOT NULL, 
	action_id VARCHAR NOT NULL, 
	at DATETIME NOT NULL, 
	who VARCHAR NOT NULL, 
	action VARCHAR NOT NULL, 
	entity VARCHAR NOT NULL, 
	entity_id INTEGER, 
	"before" VARCHAR, 
	"after" VARCHAR, 
	summary VARCHAR NOT NULL, 
	undone BOOLEAN NOT NULL, 
	PRIMARY KEY (id)
);
CREATE INDEX ix_auditentry_action_id ON auditentry (action_id);
CREATE TABLE sentreminder (
	id INTEGER NOT NULL, 
	day DATE NOT NULL, 
	recipient VARCHAR NOT NULL, 
	owner VARCHAR NOT NULL, 
	digest VARCHAR NOT NULL, 
	status VARCHAR NOT NULL, 
	error VARCHAR NOT NULL, 
	at DATETIME NOT NULL, 
	PRIMARY KEY (id)
);
CREATE INDEX ix_sentreminder_day ON sentreminder (day);
CREATE TABLE section (
	id INTEGER NOT NULL, 
	plan_id INTEGER NOT NULL, 
	number VARCHAR NOT NULL, 
	title VARCHAR NOT NULL, 
	position INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(plan_id) REFERENCES "plan" (id)
);
CREATE INDEX ix_section_plan_id ON section (plan_id);
CREATE TABLE task (
	id INTEGER NOT NULL, 
	plan_id INTEGER NOT NULL, 
	section_id INTEGER, 
	number VARCHAR NOT NULL, 
	path VARCHAR NOT NULL, 
	title VARCHAR NOT NULL, 
	text VARCHAR NOT NULL, 
	position INTEGER NOT NULL, 
	removed BOOLEAN NOT NULL, 
	version INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(plan_id) REFERENCES "plan" (id), 
	FOREIGN KEY(section_id) REFERENCES section (id)
);
CREATE INDEX ix_task_plan_id ON task (plan_id);
CREATE TABLE taskowner (
	id INTEGER NOT NULL, 
	task_id INTEGER NOT NULL, 
	owner_id INTEGER NOT NULL, 
	role VARCHAR NOT NULL, 
	origin VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(task_id) REFERENCES task (id), 
	FOREIGN KEY(owner_id) REFERENCES owner (id)
);
CREATE INDEX ix_taskowner_task_id ON taskowner (task_id);
CREATE INDEX ix_taskowner_owner_id ON taskowner (owner_id);
CREATE TABLE requirement (
	id INTEGER NOT NULL, 
	task_id INTEGER NOT NULL, 
	position INTEGER NOT NULL, 
	kind VARCHAR NOT NULL, 
	source VARCHAR NOT NULL, 
	what VARCHAR NOT NULL, 
	event VARCHAR, 
	workdays INTEGER, 
	days INTEGER, 
	count INTEGER, 
	period VARCHAR, 
	per_owner BOOLEAN NOT NULL, 
	due_day INTEGER, 
	month INTEGER, 
	day INTEGER, 
	year_offset INTEGER NOT NULL, 
	origin VARCHAR NOT NULL, 
	removed BOOLEAN NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(task_id) REFERENCES task (id)
);
CREATE INDEX ix_requirement_task_id ON requirement (task_id);
CREATE TABLE progressnote (
	id INTEGER NOT NULL, 
	task_id INTEGER NOT NULL, 
	"on" DATE NOT NULL, 
	text VARCHAR NOT NULL, 
	author VARCHAR NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(task_id) REFERENCES task (id)
);
CREATE INDEX ix_progressnote_task_id ON progressnote (task_id);
CREATE TABLE event (
	id INTEGER NOT NULL, 
	task_id INTEGER NOT NULL, 
	requirement_id INTEGER, 
	"on" DATE NOT NULL, 
	ref VARCHAR, 
	created_by VARCHAR NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(task_id) REFERENCES task (id), 
	FOREIGN KEY(requirement_id) REFERENCES requirement (id)
);
CREATE INDEX ix_event_task_id ON event (task_id);
CREATE TABLE completion (
	id INTEGER NOT NULL, 
	requirement_id INTEGER NOT NULL, 
	obligation_key VARCHAR NOT NULL, 
	done_on DATE NOT NULL, 
	evidence VARCHAR, 
	recorded_by VARCHAR NOT NULL, 
	recorded_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(requirement_id) REFERENCES requirement (id)
);
CREATE INDEX ix_completion_requirement_id ON completion (requirement_id);
CREATE TABLE waiver (
	id INTEGER NOT NULL, 
	requirement_id INTEGER NOT NULL, 
	reason VARCHAR NOT NULL, 
	created_by VARCHAR NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(requirement_id) REFERENCES requirement (id)
);
CREATE INDEX ix_waiver_requirement_id ON waiver (requirement_id);
CREATE TABLE obligation (
	id INTEGER NOT NULL, 
	requirement_id INTEGER NOT NULL, 
	task_id INTEGER NOT NULL, 
	plan_id INTEGER NOT NULL, 
	"key" VARCHAR NOT NULL, 
	owner VARCHAR, 
	due DATE, 
	provisional BOOLEAN NOT NULL, 
	note VARCHAR NOT NULL, 
	event_id INTEGER, 
	PRIMARY KEY (id), 
	FOREIGN KEY(requirement_id) REFERENCES requirement (id), 
	FOREIGN KEY(task_id) REFERENCES task (id), 
	FOREIGN KEY(plan_id) REFERENCES "plan" (id)
);
CREATE INDEX ix_obligation_due ON obligation (due);
CREATE INDEX ix_obligation_task_id ON obligation (task_id);
CREATE INDEX ix_obligation_plan_id ON obligation (plan_id);
CREATE INDEX ix_obligation_requirement_id ON obligation (requirement_id);
