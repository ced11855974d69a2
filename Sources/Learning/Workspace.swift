// Scratch memory a layer keeps between calls. Hot paths must not allocate per call, and arrays would
// add uniqueness checks and ARC around every access, so layers hold raw buffers that only grow.

/// A growable scratch buffer, owned by one layer and freed with it.
final class Workspace<Scalar> {
    private(set) var buffer = UnsafeMutableBufferPointer<Scalar>(start: nil, count: 0)

    /// At least `count` elements, contents unspecified; reallocates only when `count` exceeds
    /// what was reserved before, so a training loop allocates once per batch capacity.
    func reserve(_ count: Int) -> UnsafeMutableBufferPointer<Scalar> {
        if count > buffer.count {
            buffer.deallocate()
            buffer = .allocate(capacity: count)
        }
        return UnsafeMutableBufferPointer(rebasing: buffer[0..<count])
    }

    deinit { buffer.deallocate() }
}
