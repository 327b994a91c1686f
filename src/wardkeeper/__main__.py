from wardkeeper.cli import main

main()
