// The buffer-size check every layer makes on entry, in one place so that each layer's message names
// the layer and the shapes the same way. A wrong size is a bug in the caller, so it traps.

extension Layer {
    /// Traps unless `input` and `output` (or their gradients) hold `batch` samples, `parameters`
    /// (or the parameter gradient) this layer's parameters, and `inputGradient`, if given, `input`'s size.
    @inline(__always)
    func checkBuffers(batch: Int, input: Int, output: Int, parameters: Int, inputGradient: Int? = nil) {
        precondition(batch >= 0 && input == batch * inputSize && output == batch * outputSize && parameters == parameterCount
                     && (inputGradient ?? input) == input,
                     "\(specification): buffers of \(input) input, \(output) output, \(parameters) parameter\(inputGradient.map { ", \($0) input-gradient" } ?? "") elements for batch \(batch) of \(inputShape) → \(outputShape) with \(parameterCount) parameters")
    }
}
