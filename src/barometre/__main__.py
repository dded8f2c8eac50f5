from barometre.cli.main import main

main()
