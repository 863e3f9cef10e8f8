import Foundation

/// Escape sequences that put an image on the terminal at the cursor, for each graphics
/// protocol, and the wrapping that carries them through tmux. Pure byte building: the caller
/// positions the cursor and writes them after curses has flushed.
public enum GraphicsSequences {
    /// kitty's limit for the base64 payload of one chunk.
    public static let kittyChunk = 4096

    /// Transmits a PNG and displays it scaled into `columns`×`rows` cells at the cursor, as image
    /// `id` (a later transmission with the id replaces it). The cursor does not move (`C=1`) and
    /// the terminal sends no reply (`q=2`). One APC sequence per 4096 base64 bytes, `m=1` on all
    /// but the last.
    public static func kitty(png: [UInt8], id: UInt32, columns: Int, rows: Int) -> [[UInt8]] {
        let payload = Array(Data(png).base64EncodedString().utf8)
        var chunks: [[UInt8]] = []
        var offset = 0
        repeat {
            let end = min(payload.count, offset + kittyChunk)
            let more = end < payload.count
            let keys = offset == 0
                ? "a=T,f=100,t=d,q=2,C=1,i=\(id),c=\(max(1, columns)),r=\(max(1, rows)),m=\(more ? 1 : 0)"
                : "m=\(more ? 1 : 0)"
            chunks.append(Array("\u{1B}_G\(keys);".utf8) + payload[offset..<end] + Array("\u{1B}\\".utf8))
            offset = end
        } while offset < payload.count
        return chunks
    }

    /// Deletes image `id` and frees its data (`d=I`).
    public static func kittyDelete(id: UInt32) -> [UInt8] {
        Array("\u{1B}_Ga=d,d=I,i=\(id),q=2\u{1B}\\".utf8)
    }

    /// The file shown inline, scaled by the terminal into `columns`×`rows` cells.
    public static func iterm2(file: [UInt8], columns: Int, rows: Int) -> [UInt8] {
        let payload = Data(file).base64EncodedString()
        return Array("\u{1B}]1337;File=inline=1;size=\(file.count);width=\(max(1, columns));height=\(max(1, rows));preserveAspectRatio=1:\(payload)\u{07}".utf8)
    }

    /// `sequence` wrapped for tmux's passthrough: `ESC Ptmux;`, the sequence with every ESC
    /// doubled, `ESC \`. tmux forwards it to the terminal only with `allow-passthrough on`.
    public static func tmuxPassthrough(_ sequence: [UInt8]) -> [UInt8] {
        var wrapped = Array("\u{1B}Ptmux;".utf8)
        wrapped.reserveCapacity(sequence.count + sequence.count / 64 + 10)
        for byte in sequence {
            if byte == 0x1B { wrapped.append(0x1B) }
            wrapped.append(byte)
        }
        wrapped += [0x1B, UInt8(ascii: "\\")]
        return wrapped
    }

    /// Half blocks in 24-bit colour (`▀`: the upper pixel is the foreground, the lower the
    /// background) for `columns`×`rows` cells from `rgb` of `columns`×`2·rows` pixels, each row
    /// placed at its cell; a colour is sent only when it changes; attributes reset at the end.
    public static func truecolorHalfBlocks(rgb: [UInt8], columns: Int, rows: Int, x: Int, y: Int) -> [UInt8] {
        guard rgb.count >= columns * rows * 2 * 3 else { return [] }
        var out: [UInt8] = []
        out.reserveCapacity(columns * rows * 24)
        let block = Array("▀".utf8)
        for row in 0..<rows {
            out += moveCursor(x: x, y: y + row)
            var (lastTop, lastBottom) = (-1, -1)
            for column in 0..<columns {
                let top = ((row * 2) * columns + column) * 3
                let bottom = ((row * 2 + 1) * columns + column) * 3
                let topColour = Int(rgb[top]) << 16 | Int(rgb[top + 1]) << 8 | Int(rgb[top + 2])
                let bottomColour = Int(rgb[bottom]) << 16 | Int(rgb[bottom + 1]) << 8 | Int(rgb[bottom + 2])
                if topColour != lastTop { out += Array("\u{1B}[38;2;\(rgb[top]);\(rgb[top + 1]);\(rgb[top + 2])m".utf8) }
                if bottomColour != lastBottom { out += Array("\u{1B}[48;2;\(rgb[bottom]);\(rgb[bottom + 1]);\(rgb[bottom + 2])m".utf8) }
                (lastTop, lastBottom) = (topColour, bottomColour)
                out += block
            }
            out += Array("\u{1B}[0m".utf8)
        }
        return out
    }

    /// Moves the cursor to a zero-based cell.
    public static func moveCursor(x: Int, y: Int) -> [UInt8] {
        Array("\u{1B}[\(y + 1);\(x + 1)H".utf8)
    }
}
