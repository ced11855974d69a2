/// A 64-bit checksum of stored values that does not depend on how they were split over ranks.
///
/// Like the SciDAC/ILDG checksum of lattice configurations, every element contributes a function of
/// its global position and its bytes, and the contributions are combined by a commutative operation,
/// so each rank sums the blocks it wrote or read and an allreduce gives the same value on 1 or 64
/// ranks and under any decomposition. Unlike SciDAC's CRC rotated by the site index mod 29 and 31
/// (which lets equal values 899 sites apart be swapped unnoticed), the position is mixed into a
/// 64-bit hash and the hashes are added mod 2⁶⁴, so swapped, duplicated or moved values change it.
/// It guards against damage, not against someone forging a file.
public struct ContentChecksum: Hashable, Sendable, CustomStringConvertible {
    /// The sum of the element hashes, mod 2⁶⁴.
    public var value: UInt64

    public init(_ value: UInt64 = 0) { self.value = value }

    /// The checksum of nothing.
    public static let zero = ContentChecksum()

    public static func + (a: ContentChecksum, b: ContentChecksum) -> ContentChecksum { ContentChecksum(a.value &+ b.value) }
    public static func += (a: inout ContentChecksum, b: ContentChecksum) { a.value &+= b.value }

    /// As stored in files: "sum64:" and 16 hex digits.
    public var description: String {
        let digits = String(value, radix: 16)
        return "sum64:" + String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// Reads the stored form back; nil for anything else.
    public init?(parsing text: String) {
        guard text.hasPrefix("sum64:"), text.count == 22, let v = UInt64(text.dropFirst(6), radix: 16) else { return nil }
        value = v
    }

    /// The key that ties a checksum to a name (a dataset's path), so that two datasets with the same
    /// values do not checksum alike and a swap of two datasets is seen: FNV-1a of the UTF-8 bytes, mixed.
    public static func key(_ name: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return mix(h)
    }

    /// The finaliser of SplitMix64 (Steele, Lea, Flood 2014): a bijection of UInt64 whose output
    /// bits each depend on every input bit.
    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// The hash of one element: its global flat index and its bytes, in 8-byte words.
    @inline(__always)
    static func element(_ bytes: UnsafeRawPointer, size: Int, index: Int, key: UInt64) -> UInt64 {
        var h = mix(key ^ mix(UInt64(truncatingIfNeeded: index) &+ 0x9e37_79b9_7f4a_7c15))
        switch size {
        case 1: return mix(h ^ UInt64(bytes.load(as: UInt8.self)))
        case 2: return mix(h ^ UInt64(bytes.loadUnaligned(as: UInt16.self)))
        case 4: return mix(h ^ UInt64(bytes.loadUnaligned(as: UInt32.self)))
        case 8: return mix(h ^ bytes.loadUnaligned(as: UInt64.self))
        default:
            var at = 0
            while at < size {
                var word: UInt64 = 0
                for k in 0..<min(8, size - at) { word |= UInt64(bytes.load(fromByteOffset: at + k, as: UInt8.self)) << (8 * k) }
                h = mix(h ^ word ^ UInt64(at))
                at += 8
            }
            return mix(h ^ UInt64(size))
        }
    }

    /// The checksum of a block of `count` elements at `offset` in an array of `shape`, held row-major
    /// in `bytes` with `elementSize` bytes per element (as stored: little-endian numbers, packed rows,
    /// fixed-length strings).
    public static func block(_ bytes: UnsafeRawBufferPointer, elementSize: Int, shape: [Int], offset: [Int], count: [Int],
                             key: UInt64) -> ContentChecksum {
        precondition(shape.count == offset.count && shape.count == count.count, "block and shape have different axes")
        let n = count.reduce(1, *)
        precondition(bytes.count >= n * elementSize, "block buffer too small")
        guard n > 0, let base = bytes.baseAddress else { return .zero }
        guard !shape.isEmpty else { return ContentChecksum(element(base, size: elementSize, index: 0, key: key)) }
        // Global strides; rows of the last axis are contiguous both in the block and in the array.
        var strides = [Int](repeating: 1, count: shape.count)
        for axis in stride(from: shape.count - 2, through: 0, by: -1) { strides[axis] = strides[axis + 1] * shape[axis + 1] }
        let rowLength = count[shape.count - 1], rows = n / rowLength
        var local = [Int](repeating: 0, count: shape.count)
        var sum: UInt64 = 0
        for row in 0..<rows {
            var index = 0
            for axis in 0..<shape.count { index += (offset[axis] + local[axis]) * strides[axis] }
            let rowBytes = base + row * rowLength * elementSize
            for k in 0..<rowLength {
                sum &+= element(rowBytes + k * elementSize, size: elementSize, index: index + k, key: key)
            }
            // Next row: increment the local multi-index over all axes but the last.
            var axis = shape.count - 2
            while axis >= 0 {
                local[axis] += 1
                if local[axis] < count[axis] { break }
                local[axis] = 0
                axis -= 1
            }
        }
        return ContentChecksum(sum)
    }

    /// The checksum of a text (an attribute's value), tied to `key`.
    public static func text(_ text: String, key: UInt64) -> ContentChecksum {
        var bytes = Array(text.utf8)
        if bytes.isEmpty { bytes = [0] }
        return bytes.withUnsafeBytes { ContentChecksum(element($0.baseAddress!, size: $0.count, index: -1, key: key)) }
    }
}
