/// A spec is stored in two parts (SPEC §6 at 100k shots): the identity of the shot (`shot_id`,
/// `subject`, `attributes`) and its look (everything else but the seed). Shots planned by the same
/// rules and preset share one look, so a batch stores a handful of looks instead of a full spec
/// per shot. The hash is always over the whole canonical spec.
public enum SpecParts {
    /// The members that identify a shot, in the order people read them; the one list of them.
    public static let identityOrder = ["shot_id", "subject", "attributes"]
    public static let identityKeys = Set(identityOrder)
    /// The members that differ shot by shot: the identity and the seed derived from it. Every
    /// other member is the look, which the planner's rules and preset decide.
    public static let perShotKeys = identityKeys.union(["seed"])

    public static func split(_ spec: JSONObject) -> (identity: JSONObject, look: JSONObject) {
        var identity = JSONObject()
        var look = JSONObject()
        for member in spec where member.key != "seed" {
            if identityKeys.contains(member.key) { identity[member.key] = member.value } else { look[member.key] = member.value }
        }
        return (identity, look)
    }

    /// The whole spec; `readable` orders its keys for people (see `SpecLayout`), which costs
    /// time that bulk readers (rendering) skip.
    public static func join(identity: JSONObject, look: JSONObject, seed: UInt32, readable: Bool = true) -> JSONObject {
        var members = identity.members
        members.reserveCapacity(identity.count + look.count + 1)
        members.append(contentsOf: look.members)
        members.append(JSONMember("seed", .number(Double(seed))))
        // The parts are disjoint by construction (SpecParts.split), so no key repeats.
        let spec = JSONObject(uniqueMembers: members)
        return readable ? SpecLayout.readable(spec) : spec
    }
}

/// The canonical serialization of an object's top-level members, sorted by UTF-16 key, kept
/// apart so that objects sharing members (a look) are serialized once and merged per shot.
public struct CanonicalMembers: Sendable {
    struct Member: Sendable {
        var key: [UInt16]
        var bytes: [UInt8]
    }

    var members: [Member]

    public init(_ object: JSONObject) throws {
        members = []
        members.reserveCapacity(object.count)
        for member in object {
            var sink = ByteSink(capacity: 128)
            JSONTextEncoding.writeString(member.key, into: &sink)
            sink.append(UInt8(ascii: ":"))
            try CanonicalJSON.write(member.value, into: &sink)
            members.append(Member(key: Array(member.key.utf16), bytes: sink.makeArray()))
        }
        members.sort { $0.key.lexicographicallyPrecedes($1.key) }
    }

    /// The identity members of a record's shot, written directly: this runs once per row.
    init(identityOf record: IngestRecord) throws {
        members = []
        members.reserveCapacity(3)
        if !record.attributes.isEmpty {
            var sink = ByteSink(capacity: 128)
            sink.append("\"attributes\":" as StaticString)
            try CanonicalJSON.write(.object(record.attributes), into: &sink)
            members.append(Member(key: Self.attributesKey, bytes: sink.makeArray()))
        }
        var id = ByteSink(capacity: record.shotID.utf8.count + 16)
        id.append("\"shot_id\":" as StaticString)
        JSONTextEncoding.writeString(record.shotID, into: &id)
        members.append(Member(key: Self.shotIDKey, bytes: id.makeArray()))
        var subject = ByteSink(capacity: record.subject.utf8.count + 16)
        subject.append("\"subject\":" as StaticString)
        JSONTextEncoding.writeString(record.subject, into: &subject)
        members.append(Member(key: Self.subjectKey, bytes: subject.makeArray()))
    }

    private static let attributesKey = Array("attributes".utf16)
    private static let shotIDKey = Array("shot_id".utf16)
    private static let subjectKey = Array("subject".utf16)

    /// The whole object in canonical form.
    public var objectBytes: [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "{")]
        for (index, member) in members.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: member.bytes)
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    public var objectString: String { String(decoding: objectBytes, as: UTF8.self) }
}
