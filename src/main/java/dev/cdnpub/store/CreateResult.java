package dev.cdnpub.store;

/** The outcome of a create-only write. */
public enum CreateResult {
  CREATED,
  /** An object was there already (S3 answered 412 or 409); nothing was written. */
  ALREADY_EXISTS
}
