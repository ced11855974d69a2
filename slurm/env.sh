# Sourced by the batch scripts: the repository they were submitted from, the ensemble binary, and
# the environment its ranks need.
root=${ENSEMBLE_HOME:-${SLURM_SUBMIT_DIR:-$PWD}}
ensemble=${ENSEMBLE_BINARY:-$root/.build/release/ensemble}
[ -x "$ensemble" ] || { echo "slurm: no ensemble binary at $ensemble (build with make build, or set ENSEMBLE_BINARY)" >&2; exit 2; }
# One BLAS thread per rank: the ranks already fill the cores. (Running as root is not set up here:
# a cluster whose jobs run as root, such as the local test cluster, exports what it needs itself.)
export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-1}
