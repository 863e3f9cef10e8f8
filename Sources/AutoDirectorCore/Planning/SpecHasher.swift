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
/// forms are assembled from the same serialized top-level members, so the spec body is serialized
/// once, not twice.
public enum SpecHasher {
    public static func hash(_ spec: JSONObject) throws -> HashedSpec {
        var body = spec
        let givenSeed = body.removeValue(forKey: "seed")
        let members = try serializedMembers(body)

        let seed: UInt32
        let derived: Bool
        if let givenSeed, let value = givenSeed.numberValue, value >= 0, value <= Double(UInt32.max), value == value.rounded() {
            seed = UInt32(value)
            derived = false
        } else if givenSeed != nil {
            throw InvalidSpecError(
                shotID: spec["shot_id"]?.stringValue,
                violations: [SpecViolation(path: "seed", message: "must be an integer from 0 to 4294967295")])
        } else {
            seed = SHA256Hex.leadingUInt32(join(members, inserting: nil))
            derived = true
        }

        var seedMember = Array("\"seed\":".utf8)
        try CanonicalJSON.write(.number(Double(seed)), into: &seedMember)
        let canonical = join(members, inserting: seedMember)
        var finalSpec = spec
        finalSpec["seed"] = .number(Double(seed))
        return HashedSpec(spec: finalSpec, canonical: canonical, hash: SHA256Hex.digest(canonical), seed: seed, seedDerived: derived)
    }

    /// The canonical bytes of any spec, as stored; equal to `hash(spec).canonical` for a spec that
    /// already has its seed.
    public static func canonicalBytes(_ spec: JSONObject) throws -> [UInt8] {
        try CanonicalJSON.bytes(.object(spec))
    }

    private struct Member {
        var key: [UInt16]
        var bytes: [UInt8]
    }

    private static let seedKey = Array("seed".utf16)

    private static func serializedMembers(_ object: JSONObject) throws -> [Member] {
        var members: [Member] = []
        members.reserveCapacity(object.count)
        for member in object {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(128)
            try CanonicalJSON.write(.string(member.key), into: &bytes)
            bytes.append(UInt8(ascii: ":"))
            try CanonicalJSON.write(member.value, into: &bytes)
            members.append(Member(key: Array(member.key.utf16), bytes: bytes))
        }
        members.sort { $0.key.lexicographicallyPrecedes($1.key) }
        return members
    }

    private static func join(_ members: [Member], inserting seedMember: [UInt8]?) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "{")]
        out.reserveCapacity(members.reduce(16) { $0 + $1.bytes.count + 1 } + (seedMember?.count ?? 0))
        var pendingSeed = seedMember
        var first = true
        func append(_ bytes: [UInt8]) {
            if !first { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: bytes)
            first = false
        }
        for member in members {
            if let seed = pendingSeed, !member.key.lexicographicallyPrecedes(seedKey) {
                append(seed)
                pendingSeed = nil
            }
            append(member.bytes)
        }
        if let seed = pendingSeed { append(seed) }
        out.append(UInt8(ascii: "}"))
        return out
    }
}
