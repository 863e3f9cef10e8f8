import CNCursesW
import Foundation

/// OSC 52: the clipboard of the terminal the user sits at, also over SSH.
extension CursesScreen {
    /// Puts `text` on the clipboard of the terminal the user sits at, also over SSH, with
    /// OSC 52. Terminals that do not support it ignore the sequence.
    public func setClipboard(_ text: String) {
        guard screen != nil else { return }
        let payload = Data(Self.prefix(of: text, maxBytes: Self.clipboardLimit).utf8).base64EncodedString()
        let sequence = Array("\u{1B}]52;c;\(payload)\u{07}".utf8)
        // After ncurses has flushed its own output, so the sequence cannot split one of its.
        doupdate()
        let output = cnc_stdout()
        sequence.withUnsafeBufferPointer { buffer in
            _ = fwrite(buffer.baseAddress, 1, buffer.count, output)
        }
        fflush(output)
    }

    /// The longest prefix of whole characters of `text` within `maxBytes` UTF-8 bytes.
    static func prefix(of text: String, maxBytes: Int) -> String {
        guard text.utf8.count > maxBytes else { return text }
        var used = 0
        var end = text.startIndex
        for index in text.indices {
            let size = text[index].utf8.count
            if used + size > maxBytes { break }
            used += size
            end = text.index(after: index)
        }
        return String(text[..<end])
    }
}
