//! Evidence images as PDF image XObjects. A JPEG goes in byte for byte as a DCTDecode stream
//! (printpdf's own image path decodes and re-encodes, which changed scanned evidence); a PNG is
//! decoded and stored losslessly (Flate), its alpha channel as a soft mask.

use std::collections::BTreeMap;

use printpdf::{DictItem, ExternalStream, ExternalXObject};

/// An image ready to place: its XObject and its size in pixels.
pub(crate) struct Embedded {
    pub xobject: ExternalXObject,
    pub width: u32,
    pub height: u32,
}

fn name(s: &str) -> DictItem {
    DictItem::Name(s.as_bytes().to_vec())
}

fn image_dict(width: u32, height: u32, color_space: &str) -> BTreeMap<String, DictItem> {
    BTreeMap::from([
        ("Type".to_string(), name("XObject")),
        ("Subtype".to_string(), name("Image")),
        ("Width".to_string(), DictItem::Int(i64::from(width))),
        ("Height".to_string(), DictItem::Int(i64::from(height))),
        ("ColorSpace".to_string(), name(color_space)),
        ("BitsPerComponent".to_string(), DictItem::Int(8)),
    ])
}

fn external(stream: ExternalStream, width: u32, height: u32) -> Embedded {
    Embedded {
        xobject: ExternalXObject {
            stream,
            width: None,
            height: None,
            dpi: None,
        },
        width,
        height,
    }
}

/// The JPEG file itself as the stream of a DCTDecode image.
pub(crate) fn jpeg(bytes: &[u8]) -> Result<Embedded, String> {
    let frame = jpeg_frame(bytes)?;
    let color_space = match frame.components {
        1 => "DeviceGray",
        3 => "DeviceRGB",
        4 => "DeviceCMYK",
        n => return Err(format!("JPEG 有 {n} 个颜色分量，无法识别")),
    };
    if frame.precision != 8 {
        return Err(format!("JPEG 的位深为 {}，只支持 8 位", frame.precision));
    }
    let mut dict = image_dict(frame.width, frame.height, color_space);
    dict.insert("Filter".to_string(), name("DCTDecode"));
    if frame.components == 4 && frame.adobe {
        // Photoshop writes CMYK JPEGs inverted; the Adobe marker says so.
        dict.insert(
            "Decode".to_string(),
            DictItem::Array([1, 0, 1, 0, 1, 0, 1, 0].map(DictItem::Int).to_vec()),
        );
    }
    let stream = ExternalStream {
        dict,
        content: bytes.to_vec(),
        compress: false,
    };
    Ok(external(stream, frame.width, frame.height))
}

struct JpegFrame {
    width: u32,
    height: u32,
    components: u8,
    precision: u8,
    adobe: bool,
}

/// Reads the frame header (SOFn) of a JPEG without decoding it.
fn jpeg_frame(b: &[u8]) -> Result<JpegFrame, String> {
    if b.len() < 4 || b[0] != 0xFF || b[1] != 0xD8 {
        return Err("不是 JPEG 文件".into());
    }
    let mut i = 2;
    let mut adobe = false;
    while i + 4 <= b.len() {
        if b[i] != 0xFF {
            return Err("JPEG 文件结构损坏".into());
        }
        let marker = b[i + 1];
        if marker == 0xFF {
            i += 1;
            continue;
        }
        if marker == 0xD8 || (0xD0..=0xD7).contains(&marker) || marker == 0x01 {
            i += 2;
            continue;
        }
        let len = usize::from(u16::from_be_bytes([b[i + 2], b[i + 3]]));
        let seg = b
            .get(i + 4..i + 2 + len)
            .ok_or_else(|| "JPEG 文件不完整".to_string())?;
        match marker {
            0xEE if seg.starts_with(b"Adobe") => adobe = true,
            0xC0..=0xCF if marker != 0xC4 && marker != 0xC8 && marker != 0xCC => {
                if seg.len() < 6 {
                    return Err("JPEG 帧头损坏".into());
                }
                let frame = JpegFrame {
                    precision: seg[0],
                    height: u32::from(u16::from_be_bytes([seg[1], seg[2]])),
                    width: u32::from(u16::from_be_bytes([seg[3], seg[4]])),
                    components: seg[5],
                    adobe,
                };
                if frame.width == 0 || frame.height == 0 {
                    return Err("JPEG 的尺寸为零".into());
                }
                return Ok(frame);
            }
            0xDA | 0xD9 => break,
            _ => {}
        }
        i += 2 + len;
    }
    Err("JPEG 文件中没有图像帧".into())
}

/// A PNG decoded to 8-bit gray or RGB (Flate-compressed when written), alpha as an SMask.
pub(crate) fn png(bytes: &[u8]) -> Result<Embedded, String> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder
        .read_info()
        .map_err(|e| format!("PNG 无法解码：{e}"))?;
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| "PNG 图像过大".to_string())?;
    let mut buf = vec![0; size];
    let info = reader
        .next_frame(&mut buf)
        .map_err(|e| format!("PNG 无法解码：{e}"))?;
    buf.truncate(info.buffer_size());
    let (width, height) = (info.width, info.height);
    let (channels, has_alpha) = match info.color_type {
        png::ColorType::Grayscale => (1, false),
        png::ColorType::GrayscaleAlpha => (1, true),
        png::ColorType::Rgb => (3, false),
        png::ColorType::Rgba => (3, true),
        png::ColorType::Indexed => return Err("PNG 调色板未能展开".into()),
    };
    let stride = channels + usize::from(has_alpha);
    let (color, alpha): (Vec<u8>, Vec<u8>) = if has_alpha {
        let mut color = Vec::with_capacity(buf.len() / stride * channels);
        let mut alpha = Vec::with_capacity(buf.len() / stride);
        for px in buf.chunks_exact(stride) {
            color.extend_from_slice(&px[..channels]);
            alpha.push(px[channels]);
        }
        (color, alpha)
    } else {
        (buf, Vec::new())
    };
    let color_space = if channels == 1 {
        "DeviceGray"
    } else {
        "DeviceRGB"
    };
    let mut dict = image_dict(width, height, color_space);
    if has_alpha && alpha.iter().any(|&a| a != 255) {
        let mask = ExternalStream {
            dict: image_dict(width, height, "DeviceGray"),
            content: alpha,
            compress: true,
        };
        dict.insert("SMask".to_string(), DictItem::Stream { stream: mask });
    }
    let stream = ExternalStream {
        dict,
        content: color,
        compress: true,
    };
    Ok(external(stream, width, height))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jpeg_frame_header_is_read_without_decoding() {
        let bytes = include_bytes!("../../tests/fixtures/annex.jpg");
        let e = jpeg(bytes).unwrap();
        assert_eq!((e.width, e.height), (96, 64));
        assert_eq!(e.xobject.stream.content, bytes.to_vec());
        assert!(!e.xobject.stream.compress);
    }

    #[test]
    fn garbage_is_not_an_image() {
        assert!(jpeg(b"not a jpeg").is_err());
        assert!(png(b"not a png").is_err());
    }
}
