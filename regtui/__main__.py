from regtui.cli import main

main()
