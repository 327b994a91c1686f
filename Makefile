# Wardkeeper: the two commands of the README.
#   make run    install and start Wardkeeper with the demo hospital (SQLite)
#   make test   install the test tools and run the whole suite
.PHONY: run test setup setup-dev translations

run: setup
	.venv/bin/wardkeeper demo

test: setup-dev
	scripts/test.sh

setup:
	scripts/setup.sh

setup-dev:
	scripts/setup.sh --dev

translations:
	scripts/check_translations.py --update
