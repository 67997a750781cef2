# Every table of the package, checked against its Table Schema and the raw CSV text. Nothing here
# names a table or a field: both come from datapackage.json and schemas/, so new tables and fields
# are checked as they arrive. SPACECOOP_PATH names the package (default: the data shipped in the
# installed package); SPACECOOP_EXPECTED may name a JSON file of row counts from another reader.

root <- spacecoop_path()
tables <- read_spacecoop()
desc <- jsonlite::read_json(file.path(root, "datapackage.json"))
csv_resources <- Filter(function(r) identical(r$format, "csv"), desc$resources)
schema_of <- function(res) jsonlite::read_json(file.path(root, res$schema))
raw_of <- function(res) utils::read.csv(file.path(root, res$path), colClasses = "character", encoding = "UTF-8",
                                        na.strings = character(0), check.names = FALSE)

test_that("every table of the descriptor loads with its rows and the schema's columns", {
  expect_identical(names(tables), vapply(csv_resources, function(r) r$name, ""))
  expect_identical(attr(tables, "version"), desc$version)
  exp <- Sys.getenv("SPACECOOP_EXPECTED", "")
  for (res in csv_resources) {
    df <- tables[[res$name]]
    expect_equal(nrow(df), nrow(raw_of(res)), label = res$name)
    if (nzchar(exp)) expect_equal(nrow(df), jsonlite::read_json(exp)[[res$name]], label = res$name)
    expect_identical(names(df), vapply(schema_of(res)$fields, function(f) f$name, ""), label = res$name)
  }
})

test_that("each column has its schema's type and the CSV's values", {
  for (res in csv_resources) {
    raw <- raw_of(res)
    for (f in schema_of(res)$fields) {
      col <- tables[[res$name]][[f$name]]
      text <- raw[[f$name]]
      what <- paste(res$name, f$name)
      expect_identical(is.na(col), text == "", label = what)  # only an empty cell is missing
      given <- text != ""
      levels <- unlist(f$constraints$enum)
      type <- if (is.null(f$type)) "string" else f$type
      if (!is.null(levels)) {
        expect_true(is.factor(col), label = what)
        expect_identical(levels(col), levels, label = what)
        expect_identical(as.character(col[given]), text[given], label = what)
      } else if (type == "integer") {
        expect_true(is.integer(col), label = what)
        expect_identical(col[given], as.integer(text[given]), label = what)
      } else if (type == "number") {
        expect_true(is.double(col), label = what)
      } else if (type == "boolean") {
        expect_true(is.logical(col), label = what)
      } else if (type == "date") {
        expect_s3_class(col, "Date")
        expect_identical(format(col[given], "%Y-%m-%d"), text[given], label = what)
      } else {
        expect_true(is.character(col), label = what)
        expect_identical(col[given], text[given], label = what)
      }
    }
  }
})

test_that("every foreign key joins: merge keeps each row", {
  joins <- 0
  for (res in csv_resources) {
    for (fk in schema_of(res)$foreignKeys) {
      parent <- if (nzchar(fk$reference$resource)) fk$reference$resource else res$name
      child_df <- tables[[res$name]]
      fields <- unlist(fk$fields)
      ref <- unlist(fk$reference$fields)
      present <- stats::complete.cases(child_df[, fields, drop = FALSE])
      parent_df <- unique(tables[[parent]][, ref, drop = FALSE])
      j <- merge(child_df[present, fields, drop = FALSE], parent_df, by.x = fields, by.y = ref)
      expect_equal(nrow(j), sum(present), label = paste(res$name, "->", parent))
      joins <- joins + 1
    }
  }
  expect_gt(joins, 0)
})

test_that("an unknown table says what to choose from", {
  expect_error(read_spacecoop_table("no_such_table"),
               paste0("unknown table 'no_such_table'; choose from ", csv_resources[[1]]$name), fixed = TRUE)
})
