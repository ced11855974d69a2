// A small builder over the generated ONNX messages: nodes appended in order, constants as named
// initializers in the model's element type, every intermediate tensor given a unique name. The
// exporters say which operator computes what; this file is the only one that spells protobuf fields.

import Foundation
import ONNX

/// The ONNX graph being built: nodes in topological order and the constants they read.
struct ONNXGraph {
    /// The element type of every real-valued tensor: the model's precision.
    let precision: Precision
    private(set) var nodes: [Onnx_NodeProto] = []
    private(set) var initializers: [Onnx_TensorProto] = []
    private var counts: [String: Int] = [:]

    /// An empty graph computing in `precision`.
    init(precision: Precision) { self.precision = precision }

    /// The ONNX element type of `precision` (FLOAT = 1, DOUBLE = 11).
    static func elementType(_ precision: Precision) -> Int32 {
        Int32(precision == .float64 ? Onnx_TensorProto.DataType.double.rawValue : Onnx_TensorProto.DataType.float.rawValue)
    }

    /// A fresh tensor name starting with `stem` (`stem`, `stem_1`, …).
    mutating func name(_ stem: String) -> String {
        let n = counts[stem, default: 0]
        counts[stem] = n + 1
        return n == 0 ? stem : "\(stem)_\(n)"
    }

    /// A constant of the model's element type with shape `dims`, from `values` (rounded to float32
    /// in a float32 model, exactly as the network's own `Scalar(value)` rounds). Returns its name.
    mutating func constant(_ stem: String, _ values: [Double], dims: [Int]) -> String {
        precondition(values.count == dims.reduce(1, *), "ONNXGraph.constant \(stem): \(values.count) values for shape \(dims)")
        if precision == .float64 { return float64Constant(stem, values, dims: dims) }
        return initializer(stem, dims: dims, type: .float) { $0.floatData = values.map { Float($0) } }
    }

    /// An int64 constant (axes, shapes, pads, indices); a scalar when `dims` is empty.
    mutating func integers(_ stem: String, _ values: [Int], dims: [Int]? = nil) -> String {
        initializer(stem, dims: dims ?? [values.count], type: .int64) { $0.int64Data = values.map(Int64.init) }
    }

    /// A constant of float64 type whatever the model's precision (log q is summed in float64).
    mutating func float64Constant(_ stem: String, _ values: [Double], dims: [Int]) -> String {
        initializer(stem, dims: dims, type: .double) { $0.doubleData = values }
    }

    /// A boolean constant of shape `dims` (a mask).
    mutating func booleans(_ stem: String, _ values: [Bool], dims: [Int]) -> String {
        initializer(stem, dims: dims, type: .bool) { $0.int32Data = values.map { $0 ? 1 : 0 } }
    }

    /// Appends a named initializer of `type` and shape `dims` whose values `fill` sets.
    private mutating func initializer(_ stem: String, dims: [Int], type: Onnx_TensorProto.DataType,
                                      fill: (inout Onnx_TensorProto) -> Void) -> String {
        var tensor = Onnx_TensorProto()
        tensor.name = name(stem)
        tensor.dims = dims.map(Int64.init)
        tensor.dataType = Int32(type.rawValue)
        fill(&tensor)
        initializers.append(tensor)
        return tensor.name
    }

    /// `x` (`[batch, L₀, L₁]`, the model's type) as float64.
    mutating func asFloat64(_ x: String) -> String {
        precision == .float64 ? x : cast(x, to: .float64)
    }

    /// `x` converted to `target`'s element type.
    mutating func cast(_ x: String, to target: Precision) -> String {
        node("Cast", [x], [.int("to", Int(Self.elementType(target)))])
    }

    /// Appends a node of operator `op` reading `inputs`; returns the name of its one output.
    @discardableResult
    mutating func node(_ op: String, _ inputs: [String], _ attributes: [Attribute] = [], output: String? = nil) -> String {
        var node = Onnx_NodeProto()
        node.opType = op
        node.name = name("\(op.lowercased())_node")
        node.input = inputs
        let result = output ?? name(op.lowercased())
        node.output = [result]
        node.attribute = attributes.map(\.proto)
        nodes.append(node)
        return result
    }

    /// A node attribute: a name and an integer, integer list or string value.
    struct Attribute {
        let proto: Onnx_AttributeProto

        /// An INT attribute.
        static func int(_ name: String, _ value: Int) -> Attribute {
            var a = Onnx_AttributeProto()
            a.name = name
            a.type = .int
            a.i = Int64(value)
            return Attribute(proto: a)
        }

        /// An INTS attribute.
        static func ints(_ name: String, _ values: [Int]) -> Attribute {
            var a = Onnx_AttributeProto()
            a.name = name
            a.type = .ints
            a.ints = values.map(Int64.init)
            return Attribute(proto: a)
        }

        /// A STRING attribute (UTF-8).
        static func string(_ name: String, _ value: String) -> Attribute {
            var a = Onnx_AttributeProto()
            a.name = name
            a.type = .string
            a.s = Data(value.utf8)
            return Attribute(proto: a)
        }
    }

    /// The description of a graph input or output: a tensor of `elementType` whose dimensions are
    /// numbers or, for the batch, a name (symbolic, any size).
    static func valueInfo(_ name: String, elementType: Int32, dims: [Dimension], doc: String) -> Onnx_ValueInfoProto {
        var shape = Onnx_TensorShapeProto()
        shape.dim = dims.map { d in
            var dim = Onnx_TensorShapeProto.Dimension()
            switch d {
            case let .fixed(n): dim.dimValue = Int64(n)
            case let .symbolic(label): dim.dimParam = label
            }
            return dim
        }
        var tensor = Onnx_TypeProto.Tensor()
        tensor.elemType = elementType
        tensor.shape = shape
        var info = Onnx_ValueInfoProto()
        info.name = name
        info.type.tensorType = tensor
        info.docString = doc
        return info
    }

    /// One dimension of a graph input or output.
    enum Dimension {
        /// A fixed extent.
        case fixed(Int)
        /// A named extent left to the caller, e.g. the batch.
        case symbolic(String)
    }
}
