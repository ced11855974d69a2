// OpenBLAS's CBLAS interface and its threading controls. Only the Numerics module imports this.
#ifndef ENSEMBLE_CBLAS_SHIM_H
#define ENSEMBLE_CBLAS_SHIM_H
#include <cblas.h>
#endif
