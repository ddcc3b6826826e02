#!/usr/bin/env python
from klantocratie.cli import main

if __name__ == "__main__":
    main()
