# Sourced by the batch scripts: the repository they were submitted from, the ensemble binary, and
# the environment its ranks need.
root=${ENSEMBLE_HOME:-${SLURM_SUBMIT_DIR:-$PWD}}
ensemble=${ENSEMBLE_BINARY:-$root/.build/release/ensemble}
[ -x "$ensemble" ] || { echo "slurm: no ensemble binary at $ensemble (build with make build, or set ENSEMBLE_BINARY)" >&2; exit 2; }
# Open MPI refuses root unless told; clusters where jobs run as users never need these.
export OMPI_ALLOW_RUN_AS_ROOT=${OMPI_ALLOW_RUN_AS_ROOT:-1} OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=${OMPI_ALLOW_RUN_AS_ROOT_CONFIRM:-1}
export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-1}
