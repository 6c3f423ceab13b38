# Packaging Curio. The developer commands stay scripts/run-app.sh and scripts/run-tests.sh.
#
#   make dist              onedir binary dist/curio/curio, then its --selftest
#   make dist-onefile      also the single-file dist/onefile/curio
#   make selftest          the self-test of the built binary (headless)
#   make install-desktop   menu entry + icons for the built binary (~/.local/share)
#   make bench-dist        size and start-up time: binary vs. source
#   make clean-dist        remove build/ and dist/

.PHONY: dist dist-onefile selftest install-desktop uninstall-desktop bench-dist clean-dist

dist:
	scripts/build-dist.sh

dist-onefile:
	CURIO_ONEFILE=1 scripts/build-dist.sh

selftest:
	QT_QPA_PLATFORM=offscreen dist/curio/curio --selftest

install-desktop:
	scripts/install-desktop.sh

uninstall-desktop:
	scripts/install-desktop.sh --uninstall

bench-dist:
	.venv/bin/python -m benchmarks.dist_bench

clean-dist:
	rm -rf build dist
