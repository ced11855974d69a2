import Cluster

/// One rank's slab of ±1 spins packed one bit per site (1 = +1), the two checkerboard colours in
/// separate arrays, each with a halo plane on each side exchanged like `HaloField`'s.
///
/// A row is a line of sites along the last axis: in 2D a plane (along axis 0) is one row, in 3D a
/// plane holds `extents[1]` rows. In a row with coordinate parity π (the sum of its coordinates
/// other than the last, mod 2), site x has colour (π + x) mod 2, and lane m of colour c is the site
/// x = 2m + ((c + π) mod 2): the two sites 2m, 2m+1 of each pair sit in lane m of the two colours.
/// The H = L/2 lanes of one row and colour (L the last extent) fill `wordsPerRow` = ⌈H/64⌉ words,
/// lane m in bit m mod 64 of word m/64. Lanes past H are unused and kept 0, so that shifts across
/// the row's end read zeros.
///
/// Each colour is stored [plane][row][word]. Keeping the colours apart makes a colour's words of
/// consecutive rows and planes contiguous, which lets the update stream over many rows with
/// vector instructions, and a half-sweep exchanges only the halo of the colour it reads.
public final class PackedSpinField {
    /// The words of colour 0 and of colour 1, halos included; `rowsPerPlane · wordsPerRow` per plane.
    public let colour0: HaloField<UInt64>
    public let colour1: HaloField<UInt64>
    /// Rows per plane: 1 in 2D, `extents[1]` in 3D.
    public let rowsPerPlane: Int
    /// Lanes per row and colour: half the last extent.
    public let lanesPerRow: Int
    /// Words per row and colour.
    public let wordsPerRow: Int
    /// The used lanes of a row's last word.
    public let lastWordMask: UInt64

    /// A slab of all-up spins; the lattice needs even extents and two or three dimensions.
    public init(decomposition: SlabDecomposition, part: Int) {
        let geometry = decomposition.geometry
        precondition(geometry.hasCheckerboard, "packed spins need even extents")
        precondition(geometry.dimension == 2 || geometry.dimension == 3, "packed spins are written for 2 and 3 dimensions")
        rowsPerPlane = geometry.dimension == 2 ? 1 : geometry.extents[1]
        lanesPerRow = geometry.extents.last! / 2
        wordsPerRow = (lanesPerRow + 63) / 64
        let used = lanesPerRow - 64 * (wordsPerRow - 1)
        lastWordMask = used == 64 ? ~0 : (1 &<< UInt64(used)) &- 1
        colour0 = HaloField(decomposition: decomposition, part: part, elementsPerPlane: rowsPerPlane * wordsPerRow, initial: 0)
        colour1 = HaloField(decomposition: decomposition, part: part, elementsPerPlane: rowsPerPlane * wordsPerRow, initial: 0)
    }

    /// The words of colour `c` (0 or 1).
    @inlinable @inline(__always)
    public func words(colour c: Int) -> HaloField<UInt64> { c == 0 ? colour0 : colour1 }

    /// The owned planes, as global plane indices.
    public var planes: Range<Int> { colour0.planes }

    /// Words per plane and colour.
    public var wordsPerPlane: Int { rowsPerPlane * wordsPerRow }

    /// Words stored for both colours, halos included.
    public var storedWords: Int { colour0.storage.count + colour1.storage.count }

    /// Index of word 0 of (local plane, row) in either colour's storage; local plane 0 is the lower halo.
    @inlinable @inline(__always)
    public func offset(plane: Int, row: Int) -> Int {
        (plane &* rowsPerPlane &+ row) &* wordsPerRow
    }

    /// The coordinate parity π of row `row` of global plane `globalPlane`.
    @inlinable @inline(__always)
    public func parity(globalPlane: Int, row: Int) -> Int { (globalPlane &+ row) & 1 }

    /// Packs the owned planes of `field` (one byte per site, ±1), which must share the decomposition.
    public func pack(from field: HaloField<Int8>) {
        forEachOwnedRow(field) { source, even, odd in
            for w in 0..<wordsPerRow {
                var e: UInt64 = 0, o: UInt64 = 0
                let pairs = source + 128 &* w
                for b in 0..<min(64, lanesPerRow &- 64 &* w) {
                    // +1 is 0x01 and −1 is 0xFF: the sign bit, inverted, is the up bit.
                    e |= UInt64(~UInt8(bitPattern: pairs[2 &* b]) &>> 7) &<< UInt64(b)
                    o |= UInt64(~UInt8(bitPattern: pairs[2 &* b &+ 1]) &>> 7) &<< UInt64(b)
                }
                even[w] = e
                odd[w] = o
            }
        }
    }

    /// Unpacks the owned planes into `field` (one byte per site, ±1); its halos are left as they are.
    public func unpack(into field: HaloField<Int8>) {
        forEachOwnedRow(field) { target, even, odd in
            for w in 0..<wordsPerRow {
                let e = even[w], o = odd[w], pairs = target + 128 &* w
                for b in 0..<min(64, lanesPerRow &- 64 &* w) {
                    pairs[2 &* b] = Int8(truncatingIfNeeded: (e &>> UInt64(b)) & 1) &* 2 &- 1
                    pairs[2 &* b &+ 1] = Int8(truncatingIfNeeded: (o &>> UInt64(b)) & 1) &* 2 &- 1
                }
            }
        }
    }

    /// Calls `body(bytes, even, odd)` for every owned row: its sites in `field` (which must share the
    /// decomposition), and its words of the colours of the even and of the odd sites.
    private func forEachOwnedRow(_ field: HaloField<Int8>,
                                 _ body: (UnsafeMutablePointer<Int8>, UnsafeMutablePointer<UInt64>, UnsafeMutablePointer<UInt64>) -> Void) {
        precondition(field.planes == planes && field.planeVolume == rowsPerPlane * 2 * lanesPerRow)
        let bytes = field.storage.baseAddress!
        let base = [colour0.storage.baseAddress!, colour1.storage.baseAddress!]
        for plane in 1...planes.count {
            for row in 0..<rowsPerPlane {
                let parity = parity(globalPlane: planes.lowerBound + plane - 1, row: row)
                let at = offset(plane: plane, row: row)
                body(bytes + (plane * rowsPerPlane + row) * 2 * lanesPerRow, base[parity] + at, base[parity ^ 1] + at)
            }
        }
    }

    /// Starts filling colour `c`'s halo planes; see `HaloField.startExchange`. Collective over the
    /// decomposition's ranks.
    public func startExchange(colour c: Int, _ communicator: Communicator) throws(MPIError) -> HaloExchange {
        try words(colour: c).startExchange(communicator)
    }
}
