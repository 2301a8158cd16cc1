# The two commands: `make run` and `make test`. Everything else is a helper they use.
.PHONY: run test bench stop setup lint

run:
	@bash scripts/run.sh

test:
	@bash scripts/test.sh

bench:
	@bash scripts/bench.sh

stop:
	@bash scripts/services.sh stop

setup:
	@bash scripts/setup.sh
