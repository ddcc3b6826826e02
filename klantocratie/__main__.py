from klantocratie.cli import main

main()
