import Crypto

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
        let merged = merge(first.members, second?.members ?? [])
        let split = merged.firstIndex { !$0.key.lexicographicallyPrecedes(seedKey) } ?? merged.count

        let seed: UInt32
        if let givenSeed {
            seed = givenSeed
        } else {
            var hasher = SHA256()
            hasher.update(data: openBrace)
            for (index, member) in merged.enumerated() {
                if index > 0 { hasher.update(data: comma) }
                hasher.update(data: member.bytes)
            }
            hasher.update(data: closeBrace)
            seed = hasher.finalize().prefix(4).reduce(0) { $0 << 8 | UInt32($1) }
        }

        var seedMember = seedPrefix
        seedMember.append(contentsOf: String(seed).utf8)
        var canonical: [UInt8] = []
        canonical.reserveCapacity(merged.reduce(seedMember.count + 2) { $0 + $1.bytes.count + 1 })
        canonical.append(UInt8(ascii: "{"))
        func emit(_ bytes: [UInt8]) {
            if canonical.count > 1 { canonical.append(UInt8(ascii: ",")) }
            canonical.append(contentsOf: bytes)
        }
        for (index, member) in merged.enumerated() {
            if index == split { emit(seedMember) }
            emit(member.bytes)
        }
        if split == merged.count { emit(seedMember) }
        canonical.append(UInt8(ascii: "}"))
        return Digest(canonical: canonical, hash: SHA256Hex.digest(canonical), seed: seed, seedDerived: givenSeed == nil)
    }

    private static func merge(_ a: [CanonicalMembers.Member], _ b: [CanonicalMembers.Member]) -> [CanonicalMembers.Member] {
        if b.isEmpty { return a }
        var out: [CanonicalMembers.Member] = []
        out.reserveCapacity(a.count + b.count)
        var i = 0
        var j = 0
        while i < a.count || j < b.count {
            if j == b.count || (i < a.count && a[i].key.lexicographicallyPrecedes(b[j].key)) {
                out.append(a[i])
                i += 1
            } else {
                out.append(b[j])
                j += 1
            }
        }
        return out
    }

    private static let seedKey = Array("seed".utf16)
    private static let seedPrefix = Array("\"seed\":".utf8)
    private static let openBrace: [UInt8] = [UInt8(ascii: "{")]
    private static let closeBrace: [UInt8] = [UInt8(ascii: "}")]
    private static let comma: [UInt8] = [UInt8(ascii: ",")]
}
