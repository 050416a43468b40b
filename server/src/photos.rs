//! Product photos: judged by their content (never their name), re-encoded without metadata
//! into a display size and a thumbnail, and kept behind a storage seam that a shared object
//! store can fill when several app processes serve.
use async_trait::async_trait;
use image::{
    DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits, imageops::FilterType,
    metadata::Orientation,
};
use std::path::PathBuf;

pub use app::domain::photo::PhotoProblem;

pub const MAX_UPLOAD_BYTES: usize = 5 * 1024 * 1024;
/// Widest and tallest photo decoded: a 48-megapixel phone photo (8000 × 6000) fits. A small,
/// highly compressed file can declare far more pixels than it weighs (a 285 KB PNG of
/// 10000 × 10000 needs 400 MB once decoded), so the size is checked before any decoding.
pub const MAX_SIDE: u32 = 8000;
/// Most memory the decoder may hold at once: an 8000 × 8000 RGBA image and no more.
const MAX_DECODE_BYTES: u64 = 256 * 1024 * 1024;
const DISPLAY_SIZE: u32 = 1024;
const THUMB_SIZE: u32 = 320;
const JPEG_QUALITY: u8 = 80;

/// The two JPEG renditions of one uploaded photo.
pub struct Renditions {
    pub display: Vec<u8>,
    pub thumb: Vec<u8>,
}

/// Decodes an upload and renders it. Re-encoding drops EXIF and every other metadata block
/// (a phone photo's GPS position among them), so the EXIF orientation is applied to the
/// pixels first: a phone photo taken upright stays upright.
pub fn render(bytes: &[u8]) -> Result<Renditions, PhotoProblem> {
    let img = decode(bytes)?;
    let encode = |size: u32| {
        // Never enlarge: a small photo keeps its own size rather than turning blurry.
        let fitted = if img.width() > size || img.height() > size {
            img.resize(size, size, FilterType::Triangle)
        } else {
            img.clone()
        };
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)
            .encode_image(&fitted.to_rgb8())
            .map(|_| out)
            .map_err(|_| PhotoProblem::NotAnImage)
    };
    Ok(Renditions {
        display: encode(DISPLAY_SIZE)?,
        thumb: encode(THUMB_SIZE)?,
    })
}

/// The upload's pixels, upright, within the size and memory limits.
fn decode(bytes: &[u8]) -> Result<DynamicImage, PhotoProblem> {
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(PhotoProblem::TooLarge);
    }
    let format = image::guess_format(bytes).map_err(|_| PhotoProblem::NotAnImage)?;
    if !matches!(
        format,
        ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP
    ) {
        return Err(PhotoProblem::NotAnImage);
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    let mut reader = ImageReader::with_format(std::io::Cursor::new(bytes), format);
    reader.limits(limits);
    // The decoder reads the header and checks the limits before it decodes a single pixel.
    let mut decoder = reader.into_decoder().map_err(refused)?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).map_err(refused)?;
    img.apply_orientation(orientation);
    Ok(img)
}

fn refused(err: ImageError) -> PhotoProblem {
    match err {
        ImageError::Limits(_) => PhotoProblem::TooManyPixels,
        _ => PhotoProblem::NotAnImage,
    }
}

/// Where renditions are kept, by key (`<key>.jpg`, `<key>-thumb.jpg`).
#[async_trait]
pub trait PhotoStorage: Send + Sync {
    async fn put(&self, name: &str, bytes: Vec<u8>) -> anyhow::Result<()>;
    async fn get(&self, name: &str) -> anyhow::Result<Option<Vec<u8>>>;
    /// Removes a stored file; one already gone is not an error.
    async fn delete(&self, name: &str) -> anyhow::Result<()>;
}

/// Photos as files under the data directory: the default for one app process.
pub struct FileStorage(pub PathBuf);

#[async_trait]
impl PhotoStorage for FileStorage {
    async fn put(&self, name: &str, bytes: Vec<u8>) -> anyhow::Result<()> {
        tokio::fs::create_dir_all(&self.0).await?;
        let tmp = self.0.join(format!("{name}.part"));
        tokio::fs::write(&tmp, bytes).await?;
        // Rename so a reader never sees half a file.
        tokio::fs::rename(&tmp, self.0.join(name)).await?;
        Ok(())
    }

    async fn get(&self, name: &str) -> anyhow::Result<Option<Vec<u8>>> {
        match tokio::fs::read(self.0.join(name)).await {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    async fn delete(&self, name: &str) -> anyhow::Result<()> {
        match tokio::fs::remove_file(self.0.join(name)).await {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.into()),
            _ => Ok(()),
        }
    }
}

/// Stores both renditions under a fresh random key and returns the key.
pub async fn save(storage: &dyn PhotoStorage, renditions: Renditions) -> anyhow::Result<String> {
    let key = uuid::Uuid::new_v4().simple().to_string();
    storage
        .put(&format!("{key}-thumb.jpg"), renditions.thumb)
        .await?;
    storage
        .put(&format!("{key}.jpg"), renditions.display)
        .await?;
    Ok(key)
}

/// Removes both renditions of the photo `key`.
pub async fn remove(storage: &dyn PhotoStorage, key: &str) -> anyhow::Result<()> {
    storage.delete(&format!("{key}.jpg")).await?;
    storage.delete(&format!("{key}-thumb.jpg")).await
}

/// A photo key as generated by [`save`]: 32 hex digits, so a request can't name another file.
pub fn valid_name(name: &str) -> bool {
    let key = name
        .strip_suffix(".jpg")
        .map(|k| k.strip_suffix("-thumb").unwrap_or(k));
    key.is_some_and(|k| k.len() == 32 && k.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let img = image::RgbImage::from_pixel(width, height, image::Rgb([120, 40, 90]));
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn a_png_becomes_a_display_jpeg_and_a_smaller_thumbnail() {
        let r = render(&png(2000, 1500)).unwrap();
        let display = image::load_from_memory(&r.display).unwrap();
        let thumb = image::load_from_memory(&r.thumb).unwrap();
        assert_eq!((display.width(), display.height()), (1024, 768));
        assert_eq!((thumb.width(), thumb.height()), (320, 240));
        assert_eq!(image::guess_format(&r.display).unwrap(), ImageFormat::Jpeg);
    }

    /// A 40 × 20 JPEG, red on the left and blue on the right, whose EXIF says to show it
    /// turned 90° clockwise (orientation 6), as a phone held upright writes it.
    fn sideways_jpeg() -> Vec<u8> {
        let img = image::RgbImage::from_fn(40, 20, |x, _| {
            if x < 20 {
                image::Rgb([255, 0, 0])
            } else {
                image::Rgb([0, 0, 255])
            }
        });
        let mut jpeg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 95)
            .encode_image(&img)
            .unwrap();
        // TIFF header (little-endian), one IFD entry: Orientation (0x0112), SHORT, 1, value 6.
        let tiff: &[u8] = &[
            b'I', b'I', 42, 0, 8, 0, 0, 0, // header, first IFD at offset 8
            1, 0, // one entry
            0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0, // the orientation
            0, 0, 0, 0, // no next IFD
        ];
        let mut app1 = b"Exif\0\0".to_vec();
        app1.extend_from_slice(tiff);
        let length = u16::try_from(app1.len() + 2).unwrap().to_be_bytes();
        let mut out = jpeg[..2].to_vec(); // SOI
        out.extend_from_slice(&[0xFF, 0xE1, length[0], length[1]]);
        out.extend_from_slice(&app1);
        out.extend_from_slice(&jpeg[2..]);
        out
    }

    #[test]
    fn the_exif_orientation_is_applied_before_it_is_stripped() {
        let r = render(&sideways_jpeg()).unwrap();
        let display = image::load_from_memory(&r.display).unwrap().to_rgb8();
        assert_eq!(display.dimensions(), (20, 40), "turned upright");
        // Turned clockwise, the left (red) half is on top and the right (blue) one below.
        let top = display.get_pixel(10, 5);
        let bottom = display.get_pixel(10, 35);
        assert!(top[0] > 200 && top[2] < 60, "top is red: {top:?}");
        assert!(
            bottom[2] > 200 && bottom[0] < 60,
            "bottom is blue: {bottom:?}"
        );
    }

    #[test]
    fn a_small_photo_is_never_enlarged() {
        let r = render(&png(400, 200)).unwrap();
        let display = image::load_from_memory(&r.display).unwrap();
        let thumb = image::load_from_memory(&r.thumb).unwrap();
        assert_eq!((display.width(), display.height()), (400, 200));
        assert_eq!((thumb.width(), thumb.height()), (320, 160));
    }

    #[test]
    fn a_photo_of_too_many_pixels_is_refused_before_decoding() {
        // A few hundred kilobytes of PNG that would take 400 MB to decode.
        let huge = png(MAX_SIDE + 1, 1);
        assert_eq!(render(&huge).err(), Some(PhotoProblem::TooManyPixels));
        let tall = png(1, MAX_SIDE + 1);
        assert_eq!(render(&tall).err(), Some(PhotoProblem::TooManyPixels));
    }

    #[test]
    fn text_named_like_a_photo_is_refused() {
        assert_eq!(
            render(b"not an image at all").err(),
            Some(PhotoProblem::NotAnImage)
        );
    }

    #[test]
    fn an_upload_over_five_megabytes_is_refused_before_decoding() {
        assert_eq!(
            render(&vec![0u8; MAX_UPLOAD_BYTES + 1]).err(),
            Some(PhotoProblem::TooLarge)
        );
    }

    #[test]
    fn only_generated_photo_names_are_served() {
        assert!(valid_name("0123456789abcdef0123456789abcdef.jpg"));
        assert!(valid_name("0123456789abcdef0123456789abcdef-thumb.jpg"));
        assert!(!valid_name("../choso.db"));
        assert!(!valid_name("0123456789abcdef0123456789abcdef.png"));
    }
}
