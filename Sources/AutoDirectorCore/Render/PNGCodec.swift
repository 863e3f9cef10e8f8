import CLibPNG

/// PNG encoding and decoding with the system libpng (simplified API, 8-bit RGB). The encoder
/// writes no timestamp or other varying chunk, so the same pixels give the same bytes.
public enum PNGCodec {
    public struct Image: Sendable, Equatable {
        public var width: Int
        public var height: Int
        /// Row-major RGB, 3 bytes per pixel.
        public var rgb: [UInt8]

        public init(width: Int, height: Int, rgb: [UInt8]) {
            self.width = width
            self.height = height
            self.rgb = rgb
        }
    }

    public struct CodecError: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { "PNG: \(message)" }
    }

    public static func encode(_ image: Image) throws -> [UInt8] {
        guard image.width > 0, image.height > 0, image.rgb.count == image.width * image.height * 3 else {
            throw CodecError(message: "pixel buffer does not match \(image.width)×\(image.height)")
        }
        var png = png_image()
        png.version = cpng_version()
        png.width = png_uint_32(image.width)
        png.height = png_uint_32(image.height)
        png.format = cpng_format_rgb()
        // First call sizes the output, second writes it.
        var size: png_alloc_size_t = 0
        let stride = png_int_32(image.width * 3)
        let sized = image.rgb.withUnsafeBytes { pixels in
            png_image_write_to_memory(&png, nil, &size, 0, pixels.baseAddress, stride, nil)
        }
        guard sized != 0, size > 0 else { throw CodecError(message: failure(&png)) }
        var out = [UInt8](repeating: 0, count: Int(size))
        let written = out.withUnsafeMutableBytes { buffer in
            image.rgb.withUnsafeBytes { pixels in
                png_image_write_to_memory(&png, buffer.baseAddress, &size, 0, pixels.baseAddress, stride, nil)
            }
        }
        guard written != 0 else { throw CodecError(message: failure(&png)) }
        png_image_free(&png)
        return Array(out.prefix(Int(size)))
    }

    /// Decodes any PNG into 8-bit RGB (for previews and checks).
    public static func decode(_ bytes: [UInt8]) throws -> Image {
        var png = png_image()
        png.version = cpng_version()
        let began = bytes.withUnsafeBytes { png_image_begin_read_from_memory(&png, $0.baseAddress, $0.count) }
        guard began != 0 else { throw CodecError(message: failure(&png)) }
        png.format = cpng_format_rgb()
        let width = Int(png.width)
        let height = Int(png.height)
        guard width > 0, height > 0, width * height <= 64 << 20 else {
            png_image_free(&png)
            throw CodecError(message: "image of \(width)×\(height) is too large to decode")
        }
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        let finished = rgb.withUnsafeMutableBytes { png_image_finish_read(&png, nil, $0.baseAddress, png_int_32(width * 3), nil) }
        guard finished != 0 else { throw CodecError(message: failure(&png)) }
        png_image_free(&png)
        return Image(width: width, height: height, rgb: rgb)
    }

    private static func failure(_ png: inout png_image) -> String {
        let message = withUnsafeBytes(of: &png.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        png_image_free(&png)
        return message.isEmpty ? "libpng failed" : message
    }
}
