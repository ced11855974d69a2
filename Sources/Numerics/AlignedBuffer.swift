extension UnsafeMutableBufferPointer {
    /// Uninitialised room for `count` elements starting on a 64-byte boundary (a cache line, and one
    /// AVX-512 register), so that a vector kernel's whole-register loads and stores do not straddle
    /// cache lines. Free it with `deallocateAligned()`.
    public static func allocateAligned(capacity count: Int) -> UnsafeMutableBufferPointer<Element> {
        let bytes = Swift.max(1, count) * MemoryLayout<Element>.stride
        let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: Swift.max(64, MemoryLayout<Element>.alignment))
        return UnsafeMutableBufferPointer(start: raw.bindMemory(to: Element.self, capacity: Swift.max(1, count)), count: count)
    }

    /// Frees memory from `allocateAligned(capacity:)`.
    public func deallocateAligned() {
        if let base = baseAddress { UnsafeMutableRawPointer(base).deallocate() }
    }
}
