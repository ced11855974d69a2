/// A 64-bit checksum of stored values that does not depend on how they were split over ranks.
///
/// Like the SciDAC/ILDG checksum of lattice configurations, every element contributes a function of
/// its global position and its bytes, and the contributions are combined by a commutative operation,
/// so each rank sums the blocks it wrote or read and an allreduce gives the same value on 1 or 64
/// ranks and under any decomposition. Unlike SciDAC's CRC rotated by the site index mod 29 and 31
/// (which lets equal values 899 sites apart be swapped unnoticed), each element's bytes and global
/// position go through a 64-bit mixing bijection and the hashes are added mod 2⁶⁴: one changed
/// value always changes the sum, and swapped, duplicated or moved values do but for chance (2⁻⁶⁴).
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

    /// Multiplier of an element's bytes (odd, so a bijection): small changes reach the high bits
    /// before the mix.
    static let valueFactor: UInt64 = 0x9e37_79b9_7f4a_7c15
    /// Multiplier of an element's global index (odd): consecutive positions land far apart. Along
    /// a row the product grows by this much per element, so it costs an addition.
    static let positionFactor: UInt64 = 0xd6e8_feb8_6659_fd93

    /// The hash of one element of at most 8 bytes, given as `word` (little-endian, zero-padded), at
    /// the position whose product with `positionFactor` is `position`. A bijection of the word for a
    /// fixed position and key, so changing any one value always changes the sum.
    @inline(__always)
    static func hash(_ word: UInt64, position: UInt64, key: UInt64) -> UInt64 {
        mix((word &* valueFactor) ^ position ^ key)
    }

    /// The hash of one element of any size: its bytes in 8-byte words, chained.
    static func element(_ bytes: UnsafeRawPointer, size: Int, index: Int, key: UInt64) -> UInt64 {
        let position = UInt64(truncatingIfNeeded: index) &* positionFactor
        guard size > 8 else { return hash(word(bytes, size), position: position, key: key) }
        var h = position ^ key, at = 0
        while at < size {
            h = mix(h ^ (word(bytes + at, min(8, size - at)) &* valueFactor) ^ UInt64(at))
            at += 8
        }
        return mix(h ^ UInt64(size))
    }

    /// Up to 8 bytes as a little-endian word.
    @inline(__always)
    static func word(_ bytes: UnsafeRawPointer, _ size: Int) -> UInt64 {
        switch size {
        case 8: return bytes.loadUnaligned(as: UInt64.self)
        case 4: return UInt64(bytes.loadUnaligned(as: UInt32.self))
        case 2: return UInt64(bytes.loadUnaligned(as: UInt16.self))
        case 1: return UInt64(bytes.load(as: UInt8.self))
        default:
            var w: UInt64 = 0
            for k in 0..<size { w |= UInt64(bytes.load(fromByteOffset: k, as: UInt8.self)) << (8 * k) }
            return w
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
            sum &+= rowSum(base + row * rowLength * elementSize, count: rowLength, size: elementSize, first: index, key: key)
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

    /// The sum over one contiguous row of `count` elements whose first has global index `first`;
    /// a loop per element size, so the load is fixed and the position an addition.
    @inline(__always)
    static func rowSum(_ row: UnsafeRawPointer, count: Int, size: Int, first: Int, key: UInt64) -> UInt64 {
        var sum: UInt64 = 0, position = UInt64(truncatingIfNeeded: first) &* positionFactor
        switch size {
        case 8:
            for k in 0..<count {
                sum &+= hash(row.loadUnaligned(fromByteOffset: 8 * k, as: UInt64.self), position: position, key: key)
                position &+= positionFactor
            }
        case 4:
            for k in 0..<count {
                sum &+= hash(UInt64(row.loadUnaligned(fromByteOffset: 4 * k, as: UInt32.self)), position: position, key: key)
                position &+= positionFactor
            }
        case 1:
            for k in 0..<count {
                sum &+= hash(UInt64(row.load(fromByteOffset: k, as: UInt8.self)), position: position, key: key)
                position &+= positionFactor
            }
        default:
            for k in 0..<count { sum &+= element(row + k * size, size: size, index: first + k, key: key) }
        }
        return sum
    }

    /// The checksum of a text (an attribute's value), tied to `key`.
    public static func text(_ text: String, key: UInt64) -> ContentChecksum {
        var bytes = Array(text.utf8)
        if bytes.isEmpty { bytes = [0] }
        // The length goes into the key, so that texts differing only in trailing zero bytes differ.
        return bytes.withUnsafeBytes {
            ContentChecksum(element($0.baseAddress!, size: $0.count, index: -1, key: key ^ (UInt64($0.count) &* valueFactor)))
        }
    }
}
