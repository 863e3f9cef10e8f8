/// Writes JSON for people and logs: member order is kept as inserted (unlike `CanonicalJSON`),
/// with the same string escaping and number spelling so that both writers agree on scalars.
///
/// Non-finite numbers cannot come out of the parser; if one was built in code it is written as
/// `null` (what ECMAScript's `JSON.stringify` does) rather than producing invalid JSON.
public enum JSONWriter {
    /// No whitespace at all.
    public static func compact(_ value: JSONValue) -> String {
        var sink = ByteSink(capacity: 256)
        write(value, indent: nil, level: 0, into: &sink)
        return sink.makeString()
    }

    /// One member or element per line, nested `indent` spaces deeper per level, `": "` between
    /// key and value; empty containers stay on one line as `{}` and `[]`.
    public static func pretty(_ value: JSONValue, indent: Int = 2) -> String {
        var sink = ByteSink(capacity: 512)
        write(value, indent: max(0, indent), level: 0, into: &sink)
        return sink.makeString()
    }

    /// `indent == nil` means compact output.
    private static func write(_ value: JSONValue, indent: Int?, level: Int, into sink: inout ByteSink) {
        switch value {
        case .null:
            sink.append("null")
        case .bool(let flag):
            sink.append(flag ? "true" : "false")
        case .number(let number):
            if number.isFinite {
                JSONTextEncoding.writeNumber(number, into: &sink)
            } else {
                sink.append("null")
            }
        case .string(let string):
            JSONTextEncoding.writeString(string, into: &sink)
        case .array(let elements):
            sink.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { sink.append(UInt8(ascii: ",")) }
                newline(indent: indent, level: level + 1, into: &sink)
                write(element, indent: indent, level: level + 1, into: &sink)
            }
            if !elements.isEmpty { newline(indent: indent, level: level, into: &sink) }
            sink.append(UInt8(ascii: "]"))
        case .object(let object):
            sink.append(UInt8(ascii: "{"))
            for (position, member) in object.members.enumerated() {
                if position > 0 { sink.append(UInt8(ascii: ",")) }
                newline(indent: indent, level: level + 1, into: &sink)
                JSONTextEncoding.writeString(member.key, into: &sink)
                sink.append(UInt8(ascii: ":"))
                if indent != nil { sink.append(UInt8(ascii: " ")) }
                write(member.value, indent: indent, level: level + 1, into: &sink)
            }
            if !object.isEmpty { newline(indent: indent, level: level, into: &sink) }
            sink.append(UInt8(ascii: "}"))
        }
    }

    private static func newline(indent: Int?, level: Int, into sink: inout ByteSink) {
        guard let indent else { return }
        sink.append(UInt8(ascii: "\n"))
        for _ in 0..<(indent * level) { sink.append(UInt8(ascii: " ")) }
    }
}
