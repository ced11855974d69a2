// The architecture as text: one string per layer, the same in job files, in `--help`, and in the
// `architecture` attribute of model files, so a model file says exactly how to rebuild its network.
//
//   dense units=64 [init=he|glorot]     conv2d channels=16 kernel=3 [init=he|glorot]
//   global_average_pool   flatten   relu   tanh   gelu   sigmoid   dropout rate=0.2

/// How the weights of a dense or convolution layer start: normal with variance 2/fan_in (He,
/// for ReLU-like activations) or 2/(fan_in + fan_out) (Glorot, for tanh and sigmoid).
public enum Initialization: String, Sendable, Equatable, CaseIterable {
    case he, glorot
}

/// An elementwise activation function.
public enum ActivationFunction: String, Sendable, Equatable, CaseIterable {
    case relu, tanh, gelu, sigmoid
}

/// One layer of an architecture, parsed from its text form.
public enum LayerSpecification: Sendable, Equatable, CustomStringConvertible {
    /// Fully connected: `units` outputs from all input features (flattened).
    case dense(units: Int, initialization: Initialization)
    /// 3-D input `[channels, x, y]` to `[channels', x, y]` with a `kernel × kernel` window,
    /// stride 1 and periodic padding, as the lattice is periodic.
    case convolution2D(channels: Int, kernel: Int, initialization: Initialization)
    /// `[channels, sites…]` to `[channels]` by averaging over the sites.
    case globalAveragePool
    /// Any shape to `[features]`.
    case flatten
    /// Elementwise activation.
    case activation(ActivationFunction)
    /// Zeroes each input with probability `rate` while training and scales the rest by 1/(1 − rate).
    case dropout(rate: Double)

    /// The layer kinds and their keys, for `--help` and error messages.
    public static let grammar = """
        dense units=N [init=he|glorot], conv2d channels=N kernel=K (odd) [init=he|glorot], \
        global_average_pool, flatten, relu, tanh, gelu, sigmoid, dropout rate=R (0 ≤ R < 1)
        """

    /// Parses e.g. `"conv2d channels=16 kernel=3"`; the error names what is wrong.
    public init(parsing text: String) throws(ArchitectureError) {
        let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let kind = words.first else { throw ArchitectureError("empty layer description; expected one of: \(Self.grammar)") }
        var keys: [String: String] = [:]
        for word in words.dropFirst() {
            let pair = word.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2, !pair[0].isEmpty, !pair[1].isEmpty, keys[pair[0]] == nil else {
                throw ArchitectureError("'\(text)': expected key=value settings after '\(kind)', got '\(word)'")
            }
            keys[pair[0]] = pair[1]
        }
        func integer(_ key: String, minimum: Int) throws(ArchitectureError) -> Int {
            guard let raw = keys.removeValue(forKey: key) else { throw ArchitectureError("'\(text)': missing \(key)=N") }
            guard let value = Int(raw), value >= minimum else {
                throw ArchitectureError("'\(text)': \(key) must be an integer ≥ \(minimum), got '\(raw)'")
            }
            return value
        }
        func initialization() throws(ArchitectureError) -> Initialization {
            guard let raw = keys.removeValue(forKey: "init") else { return .he }
            guard let value = Initialization(rawValue: raw) else {
                throw ArchitectureError("'\(text)': init must be he or glorot, got '\(raw)'")
            }
            return value
        }
        switch kind {
        case "dense":
            self = .dense(units: try integer("units", minimum: 1), initialization: try initialization())
        case "conv2d":
            let channels = try integer("channels", minimum: 1), kernel = try integer("kernel", minimum: 1)
            guard kernel % 2 == 1 else { throw ArchitectureError("'\(text)': kernel must be odd (centred window), got \(kernel)") }
            self = .convolution2D(channels: channels, kernel: kernel, initialization: try initialization())
        case "global_average_pool": self = .globalAveragePool
        case "flatten": self = .flatten
        case "dropout":
            guard let raw = keys.removeValue(forKey: "rate") else { throw ArchitectureError("'\(text)': missing rate=R") }
            guard let rate = Double(raw), rate >= 0, rate < 1 else {
                throw ArchitectureError("'\(text)': rate must be a number in [0, 1), got '\(raw)'")
            }
            self = .dropout(rate: rate)
        default:
            guard let function = ActivationFunction(rawValue: kind) else {
                throw ArchitectureError("unknown layer '\(kind)' in '\(text)'; expected one of: \(Self.grammar)")
            }
            self = .activation(function)
        }
        if let extra = keys.keys.sorted().first {
            throw ArchitectureError("'\(text)': '\(extra)' is not a setting of \(kind)")
        }
    }

    /// The canonical text form, which parses back to the same value.
    public var description: String {
        switch self {
        case let .dense(units, initialization):
            return "dense units=\(units)" + (initialization == .he ? "" : " init=\(initialization.rawValue)")
        case let .convolution2D(channels, kernel, initialization):
            return "conv2d channels=\(channels) kernel=\(kernel)" + (initialization == .he ? "" : " init=\(initialization.rawValue)")
        case .globalAveragePool: return "global_average_pool"
        case .flatten: return "flatten"
        case let .activation(function): return function.rawValue
        case let .dropout(rate): return "dropout rate=\(rate)"
        }
    }
}

/// A layer description that does not parse, or a layer that does not fit the shape before it.
public struct ArchitectureError: Error, CustomStringConvertible, Equatable {
    /// The message: the offending layer text and what is wrong with it.
    public let description: String
    /// An error with message `description`.
    public init(_ description: String) { self.description = description }
}
