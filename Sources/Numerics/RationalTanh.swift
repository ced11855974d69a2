/// tanh of a single-precision number by a rational minimax approximation (Eigen's
/// `generic_fast_tanh_float`, MathFunctionsImpl.h): an odd degree-13 polynomial over an even
/// degree-6 one on [−7.9053, 7.9053], where it reaches ±1. Absolute error below 4e-7 (a few units
/// in the last place; VectorMathTests measures it against double-precision tanh). Plain arithmetic
/// and selects, no libm call, so a loop over a buffer vectorises; glibc's `tanhf` goes through
/// `expm1f` one element at a time and was half the time of a flow's training step.
@inlinable
public func rationalTanh(_ x: Float) -> Float {
    let bound: Float = 7.90531110763549805
    // Comparisons, not min/max, so NaN passes through and the loop stays vectorisable.
    let c = x < -bound ? -bound : (x > bound ? bound : x)
    let x2 = c * c
    var p: Float = -2.76076847742355e-16
    p = p * x2 + 2.00018790482477e-13
    p = p * x2 + -8.60467152213735e-11
    p = p * x2 + 5.12229709037114e-08
    p = p * x2 + 1.48572235717979e-05
    p = p * x2 + 6.37261928875436e-04
    p = p * x2 + 4.89352455891786e-03
    var q: Float = 1.19825839466702e-06
    q = q * x2 + 1.18534705686654e-04
    q = q * x2 + 2.26843463243900e-03
    q = q * x2 + 4.89352518554385e-03
    // Below 4e-4, tanh x = x to single precision.
    return abs(x) < 0.0004 ? x : c * p / q
}
