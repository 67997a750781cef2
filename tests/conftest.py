def pytest_configure(config):
    config.addinivalue_line("markers", "slow: takes several seconds (builds a wheel, runs R, renders images)")
