# Run from the repository root (pytest does it: tests/test_r_loader.py):
#   Rscript -e 'testthat::test_file("tests/R/test-spacecoop.R", stop_on_failure = TRUE)'
# SPACECOOP_ROOT names the clone (default: two levels up from this file's directory);
# SPACECOOP_EXPECTED may name a JSON file of row counts computed by an independent reader.
library(testthat)

root <- Sys.getenv("SPACECOOP_ROOT", normalizePath(file.path(getwd(), "..", "..")))
source(file.path(root, "R", "spacecoop.R"))
dp <- file.path(root, "datapackage.json")
tables <- spacecoop_read_package(dp)

expected_rows <- function(name) {
  exp <- Sys.getenv("SPACECOOP_EXPECTED", "")
  if (nzchar(exp)) return(jsonlite::read_json(exp)[[name]])
  nrow(utils::read.csv(file.path(root, "data", paste0(name, ".csv")), colClasses = "character", encoding = "UTF-8"))
}

test_that("every table loads with its row count and columns", {
  expect_setequal(names(tables), spacecoop_tables(dp))
  expect_true(length(tables) >= 15)
  for (name in names(tables)) {
    schema <- jsonlite::read_json(file.path(root, "schemas", paste0(name, ".schema.json")))
    expect_equal(nrow(tables[[name]]), expected_rows(name), label = name)
    expect_equal(names(tables[[name]]), vapply(schema$fields, function(f) f$name, ""), label = name)
  }
})

test_that("column types follow the Table Schema", {
  for (name in names(tables)) {
    schema <- jsonlite::read_json(file.path(root, "schemas", paste0(name, ".schema.json")))
    for (f in schema$fields) {
      col <- tables[[name]][[f$name]]
      what <- paste(name, f$name)
      levels <- unlist(f$constraints$enum)
      if (!is.null(levels)) {
        expect_true(is.factor(col), label = what)
        expect_identical(levels(col), levels, label = what)
      } else if (identical(f$type, "integer")) {
        expect_true(is.integer(col), label = what)
      } else if (identical(f$type, "date")) {
        expect_s3_class(col, "Date")
      } else {
        expect_true(is.character(col), label = what)
      }
    }
  }
})

test_that("dates filter as dates and an empty cell is NA", {
  a <- tables$agreements
  since_2020 <- subset(a, !is.na(signed_earliest) & signed_earliest >= as.Date("2020-01-01"))
  expect_identical(since_2020$agreement_id, "agr-lunar-exploration-mou-2021")
  ilrs <- a[a$agreement_id == "agr-ilrs-agreement", ]
  expect_equal(ilrs$ratified_earliest, as.Date("2024-06-12"))
  expect_true(is.na(ilrs$signed))
})

test_that("agreements join their participants", {
  j <- merge(tables$agreement_participants, tables$agreements, by = "agreement_id")
  j <- merge(j, tables$participants, by = "participant_id", suffixes = c("", "_participant"))
  expect_equal(nrow(j), nrow(tables$agreement_participants))
  mou <- j[j$agreement_id == "agr-lunar-exploration-mou-2021", ]
  expect_true("par-chn" %in% mou$participant_id)
  expect_true(all(mou$role %in% levels(tables$agreement_participants$role)))
})

test_that("an unknown table says what to choose from", {
  expect_error(spacecoop_read_table("agreement", dp), "unknown table 'agreement'; choose from references, sources")
})
