# spacecoop for R: read the China–Russia Space Cooperation data package as typed data frames.
#
# Needs only jsonlite and readr (Debian: r-cran-jsonlite r-cran-readr). Types come from each
# table's Table Schema (schemas/<table>.schema.json), the same files the Python loader reads:
#   string with an enum (a vocabulary) -> factor, levels = the schema's enum values, in order
#   string -> character; integer -> integer; number -> double; boolean -> logical
#   date (the *_earliest / *_latest columns) -> Date
# Only an empty cell is missing (the schemas' missingValues); the text "NA" stays text.
#
# Usage:
#   source("R/spacecoop.R")
#   tables <- spacecoop_read_package("datapackage.json")   # named list of data frames
#   agreements <- spacecoop_read_table("agreements", "datapackage.json")
#   subset(agreements, signed_earliest >= as.Date("2020-01-01"))

spacecoop_descriptor <- function(path = "datapackage.json") {
  if (dir.exists(path)) path <- file.path(path, "datapackage.json")
  if (!file.exists(path)) {
    stop(sprintf("%s: no datapackage.json here; give the package directory or its datapackage.json", path), call. = FALSE)
  }
  desc <- jsonlite::read_json(path, simplifyVector = FALSE)
  desc$.root <- dirname(normalizePath(path))
  desc
}

spacecoop_tables <- function(path = "datapackage.json") {
  desc <- spacecoop_descriptor(path)
  names <- vapply(desc$resources, function(r) if (identical(r$format, "csv")) r$name else NA_character_, "")
  names[!is.na(names)]
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

spacecoop_read_table <- function(name, path = "datapackage.json") {
  desc <- spacecoop_descriptor(path)
  res <- Filter(function(r) identical(r$name, name) && identical(r$format, "csv"), desc$resources)
  if (length(res) != 1) {
    stop(sprintf("unknown table '%s'; choose from %s", name, paste(spacecoop_tables(path), collapse = ", ")), call. = FALSE)
  }
  res <- res[[1]]
  schema <- jsonlite::read_json(file.path(desc$.root, res$schema), simplifyVector = FALSE)
  fields <- schema$fields
  col_names <- vapply(fields, function(f) f$name, "")
  col_types <- do.call(readr::cols, stats::setNames(lapply(fields, .spacecoop_col), col_names))
  file <- file.path(desc$.root, res$path)
  df <- readr::read_csv(file, col_types = col_types, na = "", trim_ws = FALSE,
                        locale = readr::locale(encoding = "UTF-8"), progress = FALSE)
  problems <- readr::problems(df)
  if (nrow(problems) > 0) {
    p <- problems[1, ]
    stop(sprintf("%s: table %s, row %d, column %d: %s, got '%s'; run `spacecoop validate` on this package",
                 res$path, name, p$row - 1L, p$col, p$expected, p$actual), call. = FALSE)
  }
  missing <- setdiff(col_names, names(df))
  if (length(missing) > 0) {
    stop(sprintf("%s: table %s has no column '%s'; run `spacecoop validate` on this package", res$path, name, missing[1]), call. = FALSE)
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

spacecoop_read_package <- function(path = "datapackage.json") {
  names <- spacecoop_tables(path)
  stats::setNames(lapply(names, spacecoop_read_table, path = path), names)
}
