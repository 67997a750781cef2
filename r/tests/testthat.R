library(testthat)
library(spacecoop)
test_check("spacecoop")
