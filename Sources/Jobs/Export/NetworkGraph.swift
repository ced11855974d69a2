// A trained network of a model file as ONNX operators, computing exactly what `Predictor` stores:
// the configuration as the run file holds it, normalised as the model was trained, through every
// layer, to the one number per sample of /models/NAME/predictions.

import Learning
import ONNX

extension ONNXGraph {
    /// The graph input: configurations `[batch, lattice…]`, as /configurations holds them per sample.
    static let inputName = "configurations"
    /// The graph output: one prediction per configuration, `[batch]`.
    static let outputName = "prediction"

    /// Appends the model's input normalisation to `x` (`[batch, lattice…]`, `sites` per sample):
    /// (x − shift)·scale, then with `perSampleRMS` each sample divided by its root mean square,
    /// except an all-zero sample, which the trainer leaves as it is.
    mutating func normalize(_ x: String, _ normalization: InputNormalization, latticeRank: Int) -> String {
        var x = x
        if normalization.shift != 0 || normalization.scale != 1 {
            x = node("Sub", [x, constant("input_shift", [normalization.shift], dims: [])])
            x = node("Mul", [x, constant("input_scale", [normalization.scale], dims: [])])
        }
        guard normalization.perSampleRMS else { return x }
        let squares = node("Mul", [x, x])
        let meanSquare = node("ReduceMean", [squares, integers("lattice_axes", Array(1...latticeRank))], [.int("keepdims", 1)])
        let factor = node("Reciprocal", [node("Sqrt", [meanSquare])])
        let scaled = node("Mul", [x, factor])
        let nonzero = node("Greater", [meanSquare, constant("zero", [0], dims: [])])
        return node("Where", [nonzero, scaled, x])
    }

    /// Appends one layer to `x` (`[batch] + inputShape`), with its slice of the flat parameters.
    /// Returns the output tensor and a note when onnxruntime cannot run the operator chosen.
    mutating func layer(_ specification: LayerSpecification, _ x: String, inputShape: [Int],
                        parameters: ArraySlice<Double>) -> (output: String, note: String?) {
        let weights = Array(parameters)
        switch specification {
        case let .dense(units, _):
            let features = inputShape.reduce(1, *)
            let flat = inputShape.count > 1 ? node("Flatten", [x], [.int("axis", 1)]) : x
            let w = constant("dense_weight", Array(weights[0..<(units * features)]), dims: [units, features])
            let b = constant("dense_bias", Array(weights[(units * features)...]), dims: [units])
            return (node("Gemm", [flat, w, b], [.int("transB", 1)]), nil)
        case let .convolution2D(channels, kernel, _):
            return (periodicConvolution(x, inputShape: inputShape, channels: channels, kernel: kernel, parameters: weights), nil)
        case .globalAveragePool:
            let axes = integers("site_axes", Array(2...inputShape.count))
            return (node("ReduceMean", [x, axes], [.int("keepdims", 0)]), nil)
        case .flatten:
            return (node("Flatten", [x], [.int("axis", 1)]), nil)
        case let .activation(function):
            switch function {
            case .relu: return (node("Relu", [x]), nil)
            case .tanh: return (node("Tanh", [x]), nil)
            case .sigmoid: return (node("Sigmoid", [x]), nil)
            case .gelu:
                // The exact x·Φ(x), as the network computes it (not the tanh approximation).
                guard precision == .float64 else { return (node("Gelu", [x], [.string("approximate", "none")]), nil) }
                // onnxruntime's CPU provider has neither a float64 Gelu nor a float64 Erf, so Φ(x) =
                // ½(1 + erf(x/√2)) takes its erf from float32: the graph runs, to about 1e-7.
                let scaled = cast(node("Mul", [x, constant("inverse_sqrt2", [1 / 2.0.squareRoot()], dims: [])]), to: .float32)
                let erf = cast(node("Erf", [scaled]), to: .float64)
                let phi = node("Mul", [node("Add", [erf, constant("one", [1], dims: [])]), constant("half", [0.5], dims: [])])
                return (node("Mul", [x, phi]), "gelu in float64 is exported as x·Φ(x) with a float32 Erf (onnxruntime has no float64 Erf): "
                        + "that layer agrees to about 1e-7, not to float64 round-off")
            }
        case .dropout:
            // Inference keeps every element unscaled: dropout is the identity outside training.
            return (node("Identity", [x]), nil)
        }
    }

    /// The periodic k×k convolution: wrap-around padding by k/2 on both lattice axes, then a
    /// cross-correlation with weight `[channels, C, k, k]` and bias `[channels]` (the layer's flat
    /// layout, and ONNX Conv's). onnxruntime has no float64 Conv, so a float64 model gets the same
    /// sum written as a product with the k² shifted copies of the padded planes.
    private mutating func periodicConvolution(_ x: String, inputShape: [Int], channels: Int, kernel: Int,
                                              parameters: [Double]) -> String {
        let (c, sizeX, sizeY) = (inputShape[0], inputShape[1], inputShape[2]), r = kernel / 2, rows = c * kernel * kernel
        let pads = integers("wrap_pads", [0, 0, r, r, 0, 0, r, r])
        let padded = node("Pad", [x, pads], [.string("mode", "wrap")])
        let bias = Array(parameters[(channels * rows)...])
        guard precision == .float64 else {
            let w = constant("conv_weight", Array(parameters[0..<(channels * rows)]), dims: [channels, c, kernel, kernel])
            return node("Conv", [padded, w, constant("conv_bias", bias, dims: [channels])],
                        [.ints("kernel_shape", [kernel, kernel]), .ints("pads", [0, 0, 0, 0])])
        }
        // Copy (dx, dy) is padded[:, :, dx..<dx+X, dy..<dy+Y]; stacked after the channel axis they
        // give rows (c, dx, dy), the order of the weight's columns.
        let axes = integers("lattice_axes", [2, 3]), window = integers("window_axis", [2])
        var copies: [String] = []
        for dx in 0..<kernel {
            for dy in 0..<kernel {
                let shifted = node("Slice", [padded, integers("starts", [dx, dy]), integers("ends", [dx + sizeX, dy + sizeY]), axes])
                copies.append(node("Unsqueeze", [shifted, window]))
            }
        }
        let stacked = node("Concat", copies, [.int("axis", 2)])
        let columns = node("Reshape", [stacked, integers("columns_shape", [-1, rows, sizeX * sizeY])])
        let w = constant("conv_weight", Array(parameters[0..<(channels * rows)]), dims: [channels, rows])
        let product = node("Add", [node("MatMul", [w, columns]), constant("conv_bias", bias, dims: [channels, 1])])
        return node("Reshape", [product, integers("planes_shape", [-1, channels, sizeX, sizeY])])
    }

    /// Appends the prediction `Predictor` stores, from the network's outputs `x` (`[batch, width]`):
    /// class 1 of the softmax, the sigmoid of output 0, or output 0 itself (a regression).
    mutating func prediction(_ x: String, loss: Loss) -> String {
        let (probabilities, column): (String, Int)
        switch loss {
        case .softmaxCrossEntropy: (probabilities, column) = (node("Softmax", [x], [.int("axis", 1)]), 1)
        case .binaryCrossEntropy: (probabilities, column) = (node("Sigmoid", [x]), 0)
        case .meanSquaredError: (probabilities, column) = (x, 0)
        }
        return node("Gather", [probabilities, integers("column", [column], dims: [])], [.int("axis", 1)], output: Self.outputName)
    }
}
