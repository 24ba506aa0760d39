"""`mmjourney serve --lti`: the classroom server as an LTI 1.3 tool (LTI Advantage). Never imports textual.

- config.py: a platform's registration (one TOML file each) and the tool's RSA key;
- launch.py: the checks of a launch's id_token, the story and mode a link opens, the learner's name;
- store.py: logins, used nonces, launches and grades waiting, in DATA/server/lti.sqlite3;
- grades.py: Assignment and Grade Services, the score of a finished assessment to the gradebook;
- deep_linking.py: the signed answer when an instructor picks a story and mode for a new link.

The web side (the routes, the pages) is in serve.py; docs/lms.md says it for administrators.
"""
