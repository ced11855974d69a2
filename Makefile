# Ensemble: two commands on a fresh Debian 12.
#   make run   installs what is missing, builds in release mode, runs the demo pipeline with mpirun:
#              jobs/demo.toml, an Ising scan, a φ⁴ scan, a normalizing flow trained and sampled
#              exactly on 8 × 8 φ⁴ with its results printed beside HMC's, a phase classifier trained
#              on the Ising scan that estimates T_c, and a genetic search for flux vacua; then
#              out/report.html, the plots of them all
#   make test  installs what is missing, builds, starts a local Slurm cluster (as root) and runs
#              every test (unit, multi-rank and Slurm)
# Also: make build, make bench (benchmarks beside their peers), make data (the reference files
# in data/, regenerated), make clean.
# CPU=native (the default) compiles the kernels for this machine's vector instructions (AVX-512,
# AVX2, …); on a cluster whose nodes differ, build for the oldest, e.g. CPU=skylake-avx512,
# CPU=haswell or CPU=x86-64 (portable, slower). The binary refuses to start on a CPU that lacks
# what it was built for.

SHELL      := /bin/bash
BUILD      ?= .build
CONFIG     ?= release
BINARY     := $(BUILD)/$(CONFIG)/ensemble
VENV       := $(BUILD)/venv
PYTHON     := $(VENV)/bin/python
NP         ?= $(shell nproc)
# The Ising scan has 16 replicas: it cannot use more ranks than that.
SCAN_NP    := $(shell n=$(NP); [ $$n -gt 16 ] && n=16; echo $$n)
# The training job's global batch of 64 splits evenly over 1, 2, 4, … 64 ranks.
TRAIN_NP   := $(shell n=1; while [ $$((n * 2)) -le $(NP) ] && [ $$((n * 2)) -le 64 ]; do n=$$((n * 2)); done; echo $$n)
# The flow job sums its gradient in 4 fixed shards: 1, 2 or 4 ranks.
FLOW_NP    := $(shell n=1; while [ $$((n * 2)) -le $(NP) ] && [ $$((n * 2)) -le 4 ]; do n=$$((n * 2)); done; echo $$n)
OUT        ?= out
CPU        ?= native
# make bench BENCH=ising,hmc (or "ising hmc") runs only those benchmarks (Benchmarks/run --list); empty runs all.
BENCH      ?=
SWIFT_FLAGS := -c $(CONFIG) -Xswiftc -target-cpu -Xswiftc $(CPU)
APT_PACKAGES := libopenmpi-dev openmpi-bin libopenblas-dev libhdf5-openmpi-dev hdf5-tools pkg-config python3 python3-venv

# mpirun refuses root without these; one BLAS thread per rank, since ranks already fill the cores.
export OMPI_ALLOW_RUN_AS_ROOT := 1
export OMPI_ALLOW_RUN_AS_ROOT_CONFIRM := 1
export OPENBLAS_NUM_THREADS ?= 1
export ENSEMBLE_BINARY := $(abspath $(BINARY))
export ENSEMBLE_PYTHON := $(abspath $(PYTHON))

.PHONY: all deps build venv slurm browser run test bench clean

all: build

# Installs the Debian packages that are missing (as root), or says exactly what to install.
deps:
	@command -v swift >/dev/null || { echo "error: Swift 6 is not on PATH; install it from swift.org (tarball or swiftly) first." >&2; exit 1; }
	@missing=""; for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if ! command -v apt-get >/dev/null; then \
	    echo "error: missing packages:$$missing (not a Debian system: install OpenMPI, OpenBLAS and a parallel HDF5 with pkg-config files, see README)" >&2; exit 1; \
	  elif [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq$$missing >/dev/null || exit 1; \
	  else \
	    echo "error: missing packages. Install them with:" >&2; echo "  sudo apt-get install$$missing" >&2; exit 1; \
	  fi; \
	fi

build: deps
	swift build $(SWIFT_FLAGS)

# The Python environment the interop tests and benchmark peers read files with (h5py, numpy).
$(PYTHON): Benchmarks/peers/requirements.txt
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install -q --disable-pip-version-check -r Benchmarks/peers/requirements.txt
	@touch $(PYTHON)

venv: deps $(PYTHON)

# What only the tests need in the venv (Tests/requirements.txt): Playwright and Pillow for the
# browser check of the reports, onnx and onnxruntime for the exported models, xarray with h5netcdf
# for the run files.
TEST_PYTHON := $(VENV)/.test-requirements
$(TEST_PYTHON): Tests/requirements.txt $(PYTHON)
	$(PYTHON) -m pip install -q --disable-pip-version-check -r Tests/requirements.txt
	@touch $(TEST_PYTHON)

# Debian's Chromium, in which the report tests render each report headless (as root it is
# installed; otherwise those tests fail saying what to install).
browser:
	@if command -v chromium >/dev/null || command -v chromium-browser >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing: chromium"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null || exit 1; \
	else echo "note: no chromium, so the report tests will fail; install it with: sudo apt-get install chromium"; fi

# The demo jobs write under $(OUT)/ and replace their own earlier results there (--force).
run: build venv
	@mkdir -p $(OUT)
	mpirun -np $(NP) $(BINARY) run jobs/demo.toml --output $(OUT)/demo.h5 --force
	mpirun -np $(SCAN_NP) $(BINARY) run jobs/ising-scan.toml --output $(OUT)/ising-scan.h5 --force
	$(BINARY) inspect $(OUT)/ising-scan.h5
	mpirun -np $(SCAN_NP) $(BINARY) run jobs/phi4-scan.toml --output $(OUT)/phi4-scan.h5 --force
	cd $(OUT) && mpirun -np $(FLOW_NP) $(abspath $(BINARY)) run $(CURDIR)/jobs/flow-phi4.toml --force
	cd $(OUT) && mpirun -np $(FLOW_NP) $(abspath $(BINARY)) run $(CURDIR)/jobs/phi4-flow-reference.toml --force
	cd $(OUT) && mpirun -np $(FLOW_NP) $(abspath $(BINARY)) run $(CURDIR)/jobs/flow-phi4-sample.toml --force
	mpirun -np $(TRAIN_NP) $(BINARY) run jobs/train-ising-phase.toml --data $(OUT)/ising-scan.h5 --output $(OUT)/ising-phase-model.h5 --force
	mpirun -np $(NP) $(BINARY) run jobs/vacua-ga.toml --output $(OUT)/vacua-ga.h5 --force
	$(BINARY) catalog query $(OUT)/vacua-ga.h5 --gs 0.25:0.35 --n-flux 1:9 --sort normalized_w --limit 10
	$(BINARY) report $(OUT)/ising-scan.h5 $(OUT)/phi4-scan.h5 $(OUT)/flow-phi4.h5 $(OUT)/flow-phi4-sample.h5 $(OUT)/ising-phase-model.h5 $(OUT)/vacua-ga.h5 -o $(OUT)/report.html --force
	@echo "open $(OUT)/report.html in a browser: plots of every run above"
	$(PYTHON) -c "import h5py; f = h5py.File('$(OUT)/demo.h5', 'r'); g = h5py.File('$(OUT)/ising-scan.h5', 'r'); h = h5py.File('$(OUT)/phi4-scan.h5', 'r'); assert f.attrs['completed'] and g.attrs['completed'] and h.attrs['completed']; print('h5py reads $(OUT)/demo.h5', f['observables/x'].shape, '$(OUT)/ising-scan.h5', g['configurations'].shape, g['configurations'].dtype, 'and $(OUT)/phi4-scan.h5', h['configurations'].shape, h['configurations'].dtype)"

# The single-node Slurm cluster the Slurm tests submit to: as root it is installed from Debian and
# started; otherwise those tests skip, and say so.
slurm:
	@if [ "$$(id -u)" = 0 ]; then slurm/local-cluster.sh start; \
	elif slurm/local-cluster.sh status >/dev/null 2>&1; then echo "slurm: the local cluster answers"; \
	else echo "note: not root, so no local Slurm cluster was started and the Slurm tests will skip (sudo slurm/local-cluster.sh start)"; fi

test: build venv $(TEST_PYTHON) browser slurm
	swift test $(SWIFT_FLAGS) --disable-testable-imports --disable-swift-testing

bench: bench-names build venv
	Benchmarks/run $(BINARY) $(PYTHON) $(BUILD) $(BENCH)

# A misspelt BENCH name stops `make bench` before the build, listing the valid names.
.PHONY: bench-names
bench-names:
	@Benchmarks/run --check $(BENCH)

clean:
	rm -rf $(BUILD) $(OUT)

# The reference files in data/, made anew by Ensemble's own commands (data/README.md).
.PHONY: data
data: build
	data/regenerate $(BINARY) data
	data/train-flows $(BINARY) data
