/// A spec with its seed settled, and the canonical bytes and hash that identify it (SPEC §2).
public struct HashedSpec: Sendable, Equatable {
    public var spec: JSONObject
    public var canonical: [UInt8]
    public var hash: String
    public var seed: UInt32
    /// True when the seed was derived here rather than given by the planner or a patch.
    public var seedDerived: Bool
}

/// Settles the seed and hashes a validated spec.
///
/// Without a seed, the seed is the first four bytes (big-endian) of the SHA-256 of the canonical
/// spec without the seed; it is then written into the spec before the final hash. Both canonical
/// forms are merged from pre-serialized top-level members, so nothing is serialized twice.
public enum SpecHasher {
    public struct Digest: Sendable, Equatable {
        public var canonical: [UInt8]
        public var hash: String
        public var seed: UInt32
        public var seedDerived: Bool
    }

    public static func hash(_ spec: JSONObject) throws -> HashedSpec {
        var body = spec
        let givenSeed = body.removeValue(forKey: "seed")
        var seed: UInt32?
        if let givenSeed {
            guard let value = givenSeed.numberValue, value >= 0, value <= Double(UInt32.max), value == value.rounded() else {
                throw InvalidSpecError(
                    shotID: spec["shot_id"]?.stringValue,
                    violations: [SpecViolation(path: "seed", message: "must be an integer from 0 to 4294967295")])
            }
            seed = UInt32(value)
        }
        let digest = hash(try CanonicalMembers(body), seed: seed)
        var finalSpec = spec
        finalSpec["seed"] = .number(Double(digest.seed))
        return HashedSpec(spec: finalSpec, canonical: digest.canonical, hash: digest.hash, seed: digest.seed, seedDerived: digest.seedDerived)
    }

    /// Hashes the union of two disjoint member sets (a shot's identity and a shared look).
    public static func hash(_ first: CanonicalMembers, _ second: CanonicalMembers? = nil, seed givenSeed: UInt32?) -> Digest {
        // The canonical spec without the seed, written once; `split` is where "seed" sorts.
        let a = first.members
        let b = second?.members ?? []
        var body: [UInt8] = [UInt8(ascii: "{")]
        body.reserveCapacity(a.reduce(0) { $0 + $1.bytes.count + 1 } + b.reduce(0) { $0 + $1.bytes.count + 1 } + 32)
        var split: Int?
        var i = 0
        var j = 0
        while i < a.count || j < b.count {
            let member: CanonicalMembers.Member
            if j == b.count || (i < a.count && a[i].key.lexicographicallyPrecedes(b[j].key)) {
                member = a[i]
                i += 1
            } else {
                member = b[j]
                j += 1
            }
            if split == nil && !member.key.lexicographicallyPrecedes(seedKey) { split = body.count }
            if body.count > 1 { body.append(UInt8(ascii: ",")) }
            body.append(contentsOf: member.bytes)
        }
        let seedAt = split ?? body.count
        body.append(UInt8(ascii: "}"))

        let seed = givenSeed ?? SHA256Hex.leadingUInt32(body)

        // Insert `"seed":N` at its place: after a comma when members precede it, before one when
        // members follow it.
        var canonical: [UInt8] = []
        canonical.reserveCapacity(body.count + 24)
        canonical.append(contentsOf: body[..<seedAt])
        if seedAt > 1 { canonical.append(UInt8(ascii: ",")) }
        canonical.append(contentsOf: seedPrefix)
        canonical.append(contentsOf: String(seed).utf8)
        if seedAt < body.count - 1 {
            // body[seedAt] is the comma before the next member, or the member itself when first.
            if body[seedAt] != UInt8(ascii: ",") { canonical.append(UInt8(ascii: ",")) }
            canonical.append(contentsOf: body[seedAt...])
        } else {
            canonical.append(UInt8(ascii: "}"))
        }
        return Digest(canonical: canonical, hash: SHA256Hex.digest(canonical), seed: seed, seedDerived: givenSeed == nil)
    }

    private static let seedKey = Array("seed".utf16)
    private static let seedPrefix = Array("\"seed\":".utf8)
}
