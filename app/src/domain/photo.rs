//! What a vendor's photo may be, judged by the server before anything is stored.

/// Photos a product may have: enough to show it from every side, few enough for a phone.
pub const MAX_PRODUCT_PHOTOS: usize = 8;

slug_enum! {
    /// Why an uploaded photo was refused. The slug names it in an upload form's answer
    /// (`photo_error=not_image`).
    pub enum PhotoProblem {
        /// Larger than 5 MB.
        TooLarge = "too_large",
        /// Wider or taller than the decoder allows.
        TooManyPixels = "too_many_pixels",
        /// Not a JPEG, PNG or WebP image, whatever its name says.
        NotAnImage = "not_image",
        /// One photo more than [`MAX_PRODUCT_PHOTOS`].
        TooMany = "too_many",
    }
}
