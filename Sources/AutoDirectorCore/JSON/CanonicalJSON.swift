/// The RFC 8785 JSON Canonicalization Scheme (JCS): one byte sequence per JSON value, so that
/// equal specs hash equally whatever member order or number spelling they were written with.
///
/// Canonicalization sits on the hot path of hashing every spec, so the writer appends through a
/// raw pointer (`ByteSink`), formats integral and short decimal numbers without going through
/// `String`, copies strings that need no escaping in one block, and orders keys by comparing
/// 8-byte prefixes as integers, only sorting when an object is not already in order.
public enum CanonicalJSON {
    public static func bytes(_ value: JSONValue) throws -> [UInt8] {
        var sink = ByteSink(capacity: 512)
        try write(value, into: &sink)
        return sink.makeArray()
    }

    public static func string(_ value: JSONValue) throws -> String {
        var sink = ByteSink(capacity: 512)
        try write(value, into: &sink)
        return sink.makeString()
    }

    /// Appends the canonical form of `value` to `buffer`; on error `buffer` is left unchanged.
    public static func write(_ value: JSONValue, into buffer: inout [UInt8]) throws {
        var sink = ByteSink(capacity: 512)
        try write(value, into: &sink)
        sink.withBytes { buffer.append(contentsOf: $0) }
    }

    /// ECMAScript `Number.prototype.toString` for `d` (JCS §3.2.2.3). Non-finite values, which
    /// `write` refuses, are rendered the way ECMAScript renders them: `NaN`, `Infinity`,
    /// `-Infinity`.
    public static func formatNumber(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
        var sink = ByteSink(capacity: 32)
        JSONTextEncoding.writeNumber(d, into: &sink)
        return sink.makeString()
    }

    static func write(_ value: JSONValue, into sink: inout ByteSink) throws {
        do {
            try withUnsafePointer(to: value) { try writeValue(at: $0, into: &sink) }
        } catch is NonFiniteNumber {
            throw CanonicalJSONError(locatingNonFiniteNumberIn: value)
        }
    }

    /// Thrown internally from deep inside the writer; `write` turns it into a `CanonicalJSONError`
    /// that names where the number is, which is only worth computing once something failed.
    private struct NonFiniteNumber: Error {}

    /// Where `value` sits inside a `JSONMember`, to reach member values in place. It is a stored
    /// property of a struct of this module, so the offset always exists.
    private static let memberValueOffset = MemoryLayout<JSONMember>.offset(of: \JSONMember.value)!

    /// Values are visited through pointers into their parents' storage (kept alive by the
    /// enclosing `withUnsafeBufferPointer`): passing them by value would copy, retain and release
    /// every element and member on the way down, which cost more than the writing itself.
    private static func writeValue(at value: UnsafePointer<JSONValue>, into sink: inout ByteSink) throws {
        switch value.pointee {
        case .null:
            sink.append("null")
        case .bool(let flag):
            sink.append(flag ? "true" : "false")
        case .number(let number):
            guard number.isFinite else { throw NonFiniteNumber() }
            JSONTextEncoding.writeNumber(number, into: &sink)
        case .string(let string):
            JSONTextEncoding.writeString(string, into: &sink)
        case .array(let elements):
            sink.append(UInt8(ascii: "["))
            try elements.withUnsafeBufferPointer { elements in
                guard let first = elements.baseAddress else { return }
                for position in elements.indices {
                    if position > 0 { sink.append(UInt8(ascii: ",")) }
                    try writeValue(at: first + position, into: &sink)
                }
            }
            sink.append(UInt8(ascii: "]"))
        case .object(let object):
            try object.members.withUnsafeBufferPointer { members in
                try writeObject(members, into: &sink)
            }
        }
    }

    private static func writeObject(_ members: UnsafeBufferPointer<JSONMember>, into sink: inout ByteSink) throws {
        sink.append(UInt8(ascii: "{"))
        guard let firstMember = members.baseAddress else {
            sink.append(UInt8(ascii: "}"))
            return
        }
        let valueOffset = memberValueOffset
        // Order the members through a table on the stack, so neither the members nor their keys
        // are copied, retained or compared as strings more than necessary.
        try withUnsafeTemporaryAllocation(of: JSONKeyOrder.Entry.self, capacity: members.count) { entries in
            var sorted = true
            for position in members.indices {
                let entry = JSONKeyOrder.Entry(index: position, key: members[position].key)
                entries.initializeElement(at: position, to: entry)
                if position > 0, sorted, !JSONKeyOrder.precedes(entries[position - 1], entry, in: members) {
                    sorted = false
                }
            }
            if !sorted { JSONKeyOrder.sort(entries, in: members) }
            for position in entries.indices {
                if position > 0 { sink.append(UInt8(ascii: ",")) }
                let entry = entries[position]
                if entry.isShortPlainKey {
                    sink.appendQuotedShortKey(low: entry.low, high: entry.high, length: entry.length)
                } else {
                    JSONTextEncoding.writeString(members[entry.index].key, into: &sink)
                    sink.append(UInt8(ascii: ":"))
                }
                let member = UnsafeRawPointer(firstMember + entry.index)
                try writeValue(
                    at: member.advanced(by: valueOffset).assumingMemoryBound(to: JSONValue.self), into: &sink)
            }
        }
        sink.append(UInt8(ascii: "}"))
    }
}

/// Why a value has no canonical form: JSON (and so JCS) has no NaN or infinities.
public struct CanonicalJSONError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    /// Where the offending number is, as a JSON Pointer.
    public var pointer: JSONPointer

    public init(message: String, pointer: JSONPointer) {
        self.message = message
        self.pointer = pointer
    }

    public var description: String { message }

    init(locatingNonFiniteNumberIn value: JSONValue) {
        let found = Self.firstNonFinite(in: value, at: JSONPointer(tokens: []))
        let pointer = found?.pointer ?? JSONPointer(tokens: [])
        let number = found.map { CanonicalJSON.formatNumber($0.number) } ?? "non-finite"
        let location = pointer.tokens.isEmpty ? "the root" : pointer.description
        self.init(
            message: "cannot canonicalize \(number) at \(location): JSON numbers must be finite",
            pointer: pointer)
    }

    private static func firstNonFinite(
        in value: JSONValue, at pointer: JSONPointer
    ) -> (pointer: JSONPointer, number: Double)? {
        switch value {
        case .number(let number) where !number.isFinite:
            return (pointer, number)
        case .array(let elements):
            for (position, element) in elements.enumerated() {
                if let found = firstNonFinite(in: element, at: pointer.appending(String(position))) { return found }
            }
        case .object(let object):
            for member in object {
                if let found = firstNonFinite(in: member.value, at: pointer.appending(member.key)) { return found }
            }
        default:
            break
        }
        return nil
    }
}
