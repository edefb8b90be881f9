from speerpunt.cli.main import main

main()
