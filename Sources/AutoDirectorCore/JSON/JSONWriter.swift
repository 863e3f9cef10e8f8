/// Writes JSON for people and logs: member order is kept as inserted (unlike `CanonicalJSON`),
/// with the same string escaping and number spelling so that both writers agree on scalars.
///
/// Non-finite numbers cannot come out of the parser; if one was built in code it is written as
/// `null` (what ECMAScript's `JSON.stringify` does) rather than producing invalid JSON.
public enum JSONWriter {
    /// No whitespace at all.
    public static func compact(_ value: JSONValue) -> String {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(256)
        write(value, indent: nil, level: 0, into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    /// One member or element per line, nested `indent` spaces deeper per level, `": "` between
    /// key and value; empty containers stay on one line as `{}` and `[]`.
    public static func pretty(_ value: JSONValue, indent: Int = 2) -> String {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(512)
        write(value, indent: max(0, indent), level: 0, into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    /// `indent == nil` means compact output.
    private static func write(_ value: JSONValue, indent: Int?, level: Int, into buffer: inout [UInt8]) {
        switch value {
        case .null:
            JSONTextEncoding.append("null", to: &buffer)
        case .bool(let flag):
            JSONTextEncoding.append(flag ? "true" : "false", to: &buffer)
        case .number(let number):
            if number.isFinite {
                JSONTextEncoding.writeNumber(number, into: &buffer)
            } else {
                JSONTextEncoding.append("null", to: &buffer)
            }
        case .string(let string):
            JSONTextEncoding.writeString(string, into: &buffer)
        case .array(let elements):
            buffer.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { buffer.append(UInt8(ascii: ",")) }
                newline(indent: indent, level: level + 1, into: &buffer)
                write(element, indent: indent, level: level + 1, into: &buffer)
            }
            if !elements.isEmpty { newline(indent: indent, level: level, into: &buffer) }
            buffer.append(UInt8(ascii: "]"))
        case .object(let object):
            buffer.append(UInt8(ascii: "{"))
            for (position, member) in object.members.enumerated() {
                if position > 0 { buffer.append(UInt8(ascii: ",")) }
                newline(indent: indent, level: level + 1, into: &buffer)
                JSONTextEncoding.writeString(member.key, into: &buffer)
                buffer.append(UInt8(ascii: ":"))
                if indent != nil { buffer.append(UInt8(ascii: " ")) }
                write(member.value, indent: indent, level: level + 1, into: &buffer)
            }
            if !object.isEmpty { newline(indent: indent, level: level, into: &buffer) }
            buffer.append(UInt8(ascii: "}"))
        }
    }

    private static func newline(indent: Int?, level: Int, into buffer: inout [UInt8]) {
        guard let indent else { return }
        buffer.append(UInt8(ascii: "\n"))
        buffer.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * level))
    }
}
