# Read the China-Russia Space Cooperation data package as typed data frames.
#
# Needs only jsonlite and readr. Types come from each table's Table Schema
# (schemas/<table>.schema.json), the same files the Python loader reads:
#   string with an enum (a vocabulary) -> factor, levels = the schema's enum values, in order
#   string -> character; integer -> integer; number -> double; boolean -> logical; date -> Date
# Only an empty cell is missing (the schemas' missingValues); the text "NA" stays text.
# Tables and fields are read from datapackage.json and the schemas, never listed here.

#' @export
spacecoop_path <- function(path = NULL) {
  if (is.null(path) || !nzchar(path)) path <- Sys.getenv("SPACECOOP_PATH", "")
  if (!nzchar(path)) {
    path <- system.file("extdata", package = "spacecoop")
    if (!nzchar(path) || !file.exists(file.path(path, "datapackage.json"))) {
      stop("this installation of spacecoop carries no data (installed from a clone?); ",
           "give path = a clone, an extracted release archive or the release .zip", call. = FALSE)
    }
  }
  if (grepl("\\.zip$", path, ignore.case = TRUE) && file.exists(path) && !dir.exists(path)) {
    path <- .spacecoop_unzip(path)
  }
  if (!dir.exists(path) && basename(path) == "datapackage.json") path <- dirname(path)
  if (!file.exists(file.path(path, "datapackage.json"))) {
    stop(sprintf("%s: no datapackage.json here; give a clone, an extracted release archive or its datapackage.json", path),
         call. = FALSE)
  }
  normalizePath(path)
}

# A release archive, unpacked once per session into a temporary directory.
.spacecoop_unzip <- function(zip) {
  names <- utils::unzip(zip, list = TRUE)$Name
  if (any(startsWith(names, "/") | grepl("(^|/)\\.\\.(/|$)", names))) {
    stop(sprintf("%s: a member would be written outside the archive's directory; refused", zip), call. = FALSE)
  }
  dest <- file.path(tempdir(), paste0("spacecoop-", tools::md5sum(zip)[[1]]))
  if (!dir.exists(dest)) utils::unzip(zip, exdir = dest)
  top <- list.dirs(dest, recursive = FALSE)
  if (!file.exists(file.path(dest, "datapackage.json")) && length(top) == 1) dest <- top
  dest
}

.spacecoop_descriptor <- function(path) {
  root <- spacecoop_path(path)
  desc <- jsonlite::read_json(file.path(root, "datapackage.json"), simplifyVector = FALSE)
  desc$.root <- root
  desc
}

.spacecoop_csv_names <- function(desc) {
  names <- vapply(desc$resources, function(r) if (identical(r$format, "csv")) r$name else NA_character_, "")
  names[!is.na(names)]
}

#' @export
spacecoop_tables <- function(path = NULL) {
  .spacecoop_csv_names(.spacecoop_descriptor(path))
}

.spacecoop_col <- function(field) {
  type <- if (is.null(field$type)) "string" else field$type
  switch(type,
    integer = readr::col_integer(),
    number = readr::col_double(),
    boolean = readr::col_logical(),
    date = readr::col_date(format = "%Y-%m-%d"),
    readr::col_character()
  )
}

.spacecoop_read <- function(desc, name) {
  res <- Filter(function(r) identical(r$name, name) && identical(r$format, "csv"), desc$resources)
  if (length(res) != 1) {
    stop(sprintf("unknown table '%s'; choose from %s", name, paste(.spacecoop_csv_names(desc), collapse = ", ")),
         call. = FALSE)
  }
  res <- res[[1]]
  schema <- if (is.character(res$schema)) {
    jsonlite::read_json(file.path(desc$.root, res$schema), simplifyVector = FALSE)
  } else {
    res$schema
  }
  fields <- schema$fields
  col_names <- vapply(fields, function(f) f$name, "")
  col_types <- do.call(readr::cols, stats::setNames(lapply(fields, .spacecoop_col), col_names))
  df <- readr::read_csv(file.path(desc$.root, res$path), col_types = col_types, na = "", trim_ws = FALSE,
                        locale = readr::locale(encoding = "UTF-8"), progress = FALSE)
  problems <- readr::problems(df)
  if (nrow(problems) > 0) {
    p <- problems[1, ]
    stop(sprintf("%s: table %s, row %d, column %d: %s, got '%s'; run `spacecoop validate` on this package",
                 res$path, name, p$row - 1L, p$col, p$expected, p$actual), call. = FALSE)
  }
  missing <- setdiff(col_names, names(df))
  if (length(missing) > 0) {
    stop(sprintf("%s: table %s has no column '%s'; run `spacecoop validate` on this package", res$path, name, missing[1]),
         call. = FALSE)
  }
  for (f in fields) {
    levels <- unlist(f$constraints$enum)
    if (is.null(levels)) next
    bad <- setdiff(stats::na.omit(df[[f$name]]), levels)
    if (length(bad) > 0) {
      stop(sprintf("%s: table %s, field %s: '%s' is not in its vocabulary (%s); run `spacecoop validate` on this package",
                   res$path, name, f$name, bad[1], paste(levels, collapse = ", ")), call. = FALSE)
    }
    df[[f$name]] <- factor(df[[f$name]], levels = levels)
  }
  df <- as.data.frame(df[, col_names], stringsAsFactors = FALSE)
  attr(df, "spacecoop_schema") <- schema
  df
}

#' @export
read_spacecoop_table <- function(name, path = NULL) {
  .spacecoop_read(.spacecoop_descriptor(path), name)
}

#' @export
read_spacecoop <- function(path = NULL) {
  desc <- .spacecoop_descriptor(path)
  names <- .spacecoop_csv_names(desc)
  tables <- stats::setNames(lapply(names, function(n) .spacecoop_read(desc, n)), names)
  attr(tables, "version") <- desc$version
  tables
}
