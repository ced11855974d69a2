internal import CMPI

/// An MPI call that returned an error code, with the library's own message for it.
public struct MPIError: Error, CustomStringConvertible, Sendable {
    /// The MPI error code (`MPI_ERR_*`).
    public let code: Int32
    /// The call that failed, e.g. `MPI_Allreduce`.
    public let call: String
    /// `MPI_Error_string` for `code`.
    public let message: String

    public var description: String { "\(call) failed: \(message) (MPI error \(code))" }

    init(code: Int32, call: String) {
        self.code = code
        self.call = call
        var buffer = [CChar](repeating: 0, count: Int(cmpi_max_error_string()) + 1)
        var length: Int32 = 0
        if MPI_Error_string(code, &buffer, &length) == cmpi_success() {
            self.message = String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        } else {
            self.message = "unknown MPI error"
        }
    }
}

/// Turns an MPI return code into a thrown `MPIError`; the one place MPI errors are mapped.
@inline(__always)
func check(_ code: Int32, _ call: @autoclosure () -> String) throws(MPIError) {
    if code != MPI_SUCCESS { throw MPIError(code: code, call: call()) }
}
