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

/// Every field of a multipart form, by name (a repeated name keeps its last value).
pub async fn all_fields(
    form: &mut Multipart,
) -> Result<std::collections::HashMap<String, Bytes>, ()> {
    let mut fields = std::collections::HashMap::new();
    while let Some(field) = form.next_field().await.map_err(|_| ())? {
        let name = field.name().unwrap_or_default().to_string();
        fields.insert(name, field.bytes().await.map_err(|_| ())?);
    }
    Ok(fields)
}
