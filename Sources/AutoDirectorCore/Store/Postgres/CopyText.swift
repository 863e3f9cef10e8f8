import NIOCore

/// Rows in COPY's text format: tab-separated, one row per line, `\N` for NULL, and backslash,
/// tab, newline and carriage return escaped in values.
struct CopyText {
    private(set) var buffer = ByteBuffer()
    private(set) var rows = 0
    private var atRowStart = true

    enum Value {
        case text(String)
        case int(Int64)
        case null
    }

    mutating func add(_ values: Value...) {
        for value in values {
            if !atRowStart { buffer.writeInteger(UInt8(ascii: "\t")) }
            atRowStart = false
            switch value {
            case .null: buffer.writeStaticString("\\N")
            case .int(let number): buffer.writeString(String(number))
            case .text(let text): append(text)
            }
        }
        buffer.writeInteger(UInt8(ascii: "\n"))
        atRowStart = true
        rows += 1
    }

    private mutating func append(_ text: String) {
        let utf8 = text.utf8
        // Most values need no escape: write them whole.
        if !utf8.contains(where: { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
            buffer.writeString(text)
            return
        }
        for byte in utf8 {
            switch byte {
            case 0x5C: buffer.writeStaticString("\\\\")
            case 0x09: buffer.writeStaticString("\\t")
            case 0x0A: buffer.writeStaticString("\\n")
            case 0x0D: buffer.writeStaticString("\\r")
            default: buffer.writeInteger(byte)
            }
        }
    }

    mutating func reset() {
        buffer.clear()
        rows = 0
        atRowStart = true
    }
}
