//! Reading one file out of a multipart form post.
use axum::body::Bytes;
use axum::extract::Multipart;

/// The bytes of the form's field `name`: `Ok(None)` when the form has no such field, `Err`
/// when the body could not be read (most often: larger than the route allows).
pub async fn file_field(form: &mut Multipart, name: &str) -> Result<Option<Bytes>, ()> {
    loop {
        match form.next_field().await {
            Ok(Some(field)) if field.name() == Some(name) => {
                return field.bytes().await.map(Some).map_err(|_| ());
            }
            Ok(Some(_)) => continue,
            Ok(None) => return Ok(None),
            Err(_) => return Err(()),
        }
    }
}
